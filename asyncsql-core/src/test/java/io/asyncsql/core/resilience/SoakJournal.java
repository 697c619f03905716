package io.asyncsql.core.resilience;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.RetryExhaustedException;

/**
 * What every worker of the soak was told, kept in preallocated arrays so that the bookkeeping itself does not grow
 * the heap the soak measures. An insert key is {@code new UUID(worker, sequence)}; its outcome is one byte.
 */
final class SoakJournal {

	static final byte ATTEMPTED = 1;

	static final byte ACKNOWLEDGED = 2;

	/** Cut mid-statement or cancelled by the caller: the row may or may not exist, but at most once. */
	static final byte UNKNOWN = 3;

	/** Failed with an error that says nothing was written. */
	static final byte NOT_WRITTEN = 4;

	private final byte[][] inserts;

	private final int[] next;

	final LongAdder operations = new LongAdder();

	final LongAdder cancelled = new LongAdder();

	final LongAdder transfersCommitted = new LongAdder();

	final LongAdder transfersUnknown = new LongAdder();

	final LongAdder incrementsSucceeded = new LongAdder();

	final LongAdder incrementsUnknown = new LongAdder();

	final LongAdder incrementsExhausted = new LongAdder();

	final LongAdder streamedRows = new LongAdder();

	private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

	/** Failures a caller received that are not one of the documented exceptions. */
	final Set<String> unclassified = ConcurrentHashMap.newKeySet();

	SoakJournal(int workers, int insertsPerWorker) {
		this.inserts = new byte[workers][insertsPerWorker];
		this.next = new int[workers];
	}

	/**
	 * @param worker the worker
	 * @return the key of the worker's next insert, or {@code null} when its journal is full
	 */
	UUID nextInsert(int worker) {
		int sequence = this.next[worker];
		if (sequence == this.inserts[worker].length) {
			return null;
		}
		this.next[worker] = sequence + 1;
		this.inserts[worker][sequence] = ATTEMPTED;
		return new UUID(worker, sequence);
	}

	void insertOutcome(UUID key, byte outcome) {
		this.inserts[(int) key.getMostSignificantBits()][(int) key.getLeastSignificantBits()] = outcome;
	}

	/**
	 * @param key an insert key
	 * @return its outcome, or 0 when no worker ever made that key
	 */
	byte outcome(UUID key) {
		long worker = key.getMostSignificantBits();
		long sequence = key.getLeastSignificantBits();
		if (worker < 0 || worker >= this.inserts.length || sequence < 0 || sequence >= this.next[(int) worker]) {
			return 0;
		}
		return this.inserts[(int) worker][(int) sequence];
	}

	/** @return the number of inserts with each outcome, indexed by outcome */
	long[] insertCounts() {
		long[] counts = new long[5];
		for (int worker = 0; worker < this.inserts.length; worker++) {
			for (int sequence = 0; sequence < this.next[worker]; sequence++) {
				counts[this.inserts[worker][sequence]]++;
			}
		}
		return counts;
	}

	/**
	 * Records a failure a caller received and whether it is one the library documents.
	 * @param operation the kind of operation
	 * @param error the failure
	 * @return whether the failure says the outcome of a write is unknown
	 */
	boolean failed(String operation, Throwable error) {
		String kind = error.getClass().getSimpleName();
		if (error instanceof RetryExhaustedException exhausted) {
			kind += "(" + exhausted.reason().tag() + ")";
		}
		else if (error instanceof AsyncSqlException known && known.sqlState() != null) {
			kind += "(" + known.sqlState() + ")";
		}
		this.failures.computeIfAbsent(operation + ": " + kind, key -> new LongAdder()).increment();
		if (!(error instanceof AsyncSqlException)) {
			this.unclassified.add(operation + ": " + error);
		}
		return error instanceof CommitOutcomeUnknownException;
	}

	/** @return failures by operation and exception, sorted */
	Map<String, Long> failures() {
		Map<String, Long> counts = new TreeMap<>();
		this.failures.forEach((kind, count) -> counts.put(kind, count.sum()));
		return counts;
	}

}
