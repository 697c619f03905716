package io.asyncsql.locking;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * What the lock manager did: running totals, the Micrometer meters {@code asyncsql.lock.operations},
 * {@code asyncsql.lock.conflicts} and {@code asyncsql.lock.retries}, and a bounded history of recent conflicts.
 */
final class LockActivity {

	static final String OPERATIONS = "asyncsql.lock.operations";

	static final String CONFLICTS = "asyncsql.lock.conflicts";

	static final String RETRIES = "asyncsql.lock.retries";

	private final @Nullable MeterRegistry registry;

	private final Clock clock;

	private final int historySize;

	private final ArrayDeque<ConflictRecord> history;

	private final LongAdder operations = new LongAdder();

	private final LongAdder successes = new LongAdder();

	private final LongAdder conflicts = new LongAdder();

	private final LongAdder retries = new LongAdder();

	private final LongAdder mergeConflicts = new LongAdder();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, DistributionSummary> retrySummaries = new ConcurrentHashMap<>();

	LockActivity(@Nullable MeterRegistry registry, Clock clock, int historySize) {
		this.registry = registry;
		this.clock = clock;
		this.historySize = historySize;
		this.history = new ArrayDeque<>(Math.min(historySize, 1024));
	}

	void operation(String table, LockResult result) {
		this.operations.increment();
		this.retries.add(result.retryCount());
		if (result.isSuccess()) {
			this.successes.increment();
		}
		if (result.status() == LockStatus.MERGE_CONFLICT) {
			this.mergeConflicts.increment();
		}
		if (this.registry != null) {
			String outcome = outcome(result);
			this.counters.computeIfAbsent(OPERATIONS + '|' + table + '|' + outcome, key -> Counter.builder(OPERATIONS)
				.description("Version-checked updates by outcome")
				.tag("table", table)
				.tag("outcome", outcome)
				.register(this.registry)).increment();
			this.retrySummaries.computeIfAbsent(table, key -> DistributionSummary.builder(RETRIES)
				.description("Retries per version-checked update")
				.tag("table", table)
				.register(this.registry)).record(result.retryCount());
		}
	}

	void conflict(String table, Object id, long expected, @Nullable Long current, int retryCount,
			ConflictResolution resolution) {
		this.conflicts.increment();
		if (this.historySize > 0) {
			ConflictRecord record = new ConflictRecord(this.clock.instant(), table, id, expected, current, retryCount,
					resolution);
			synchronized (this.history) {
				if (this.history.size() == this.historySize) {
					this.history.removeLast();
				}
				this.history.addFirst(record);
			}
		}
		if (this.registry != null) {
			String tag = resolution.name().toLowerCase(java.util.Locale.ROOT);
			this.counters.computeIfAbsent(CONFLICTS + '|' + table + '|' + tag, key -> Counter.builder(CONFLICTS)
				.description("Version conflicts met, by the strategy that handled them")
				.tag("table", table)
				.tag("resolution", tag)
				.register(this.registry)).increment();
		}
	}

	private static String outcome(LockResult result) {
		if (result.forced()) {
			return "forced";
		}
		return switch (result.status()) {
			case SUCCESS -> "success";
			case MERGED -> "merged";
			case VERSION_CONFLICT -> "conflict";
			case MERGE_CONFLICT -> "merge_conflict";
			case RECORD_NOT_FOUND -> "not_found";
			case RETRY_EXHAUSTED -> "retry_exhausted";
		};
	}

	LockMetrics snapshot() {
		long total = this.operations.sum();
		long success = this.successes.sum();
		long conflictCount = this.conflicts.sum();
		long retryCount = this.retries.sum();
		return new LockMetrics(total, success, conflictCount, retryCount, this.mergeConflicts.sum(),
				ratio(retryCount, total), ratio(conflictCount, total), (total == 0) ? 1.0 : ratio(success, total));
	}

	private static double ratio(long part, long whole) {
		return (whole == 0) ? 0.0 : (double) part / whole;
	}

	List<ConflictRecord> history(int limit) {
		List<ConflictRecord> newest = new ArrayList<>(Math.max(0, Math.min(limit, this.historySize)));
		synchronized (this.history) {
			Iterator<ConflictRecord> records = this.history.iterator();
			while (records.hasNext() && newest.size() < limit) {
				newest.add(records.next());
			}
		}
		return newest;
	}

	ConflictAnalysis analyze() {
		List<ConflictRecord> records = history(Integer.MAX_VALUE);
		Map<String, Long> byTable = new LinkedHashMap<>();
		Map<Integer, Long> byRetries = new TreeMap<>();
		long retrySum = 0;
		for (ConflictRecord record : records) {
			byTable.merge(record.table(), 1L, Long::sum);
			byRetries.merge(record.retryCount(), 1L, Long::sum);
			retrySum += record.retryCount();
		}
		List<Map.Entry<String, Long>> hotspots = byTable.entrySet().stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
			.limit(5)
			.map(entry -> Map.entry(entry.getKey(), entry.getValue()))
			.toList();
		double averageRetries = records.isEmpty() ? 0.0 : (double) retrySum / records.size();
		return new ConflictAnalysis(hotspots, byRetries, averageRetries, recommendations(snapshot(), hotspots, averageRetries));
	}

	private static List<String> recommendations(LockMetrics metrics, List<Map.Entry<String, Long>> hotspots,
			double averageRetries) {
		List<String> advice = new ArrayList<>();
		if (metrics.totalOperations() == 0) {
			advice.add("No version-checked updates yet: nothing to recommend.");
			return advice;
		}
		if (metrics.conflictRate() > 0.2) {
			advice.add(String.format(java.util.Locale.ROOT, "%.0f%% of updates meet a conflict: rows are contended; "
					+ "consider smaller transactions, splitting hot rows, or pessimistic locking (SELECT ... FOR UPDATE) "
					+ "for the hottest ones.", metrics.conflictRate() * 100));
		}
		if (!hotspots.isEmpty()) {
			advice.add("Most conflicts are on table '" + hotspots.get(0).getKey() + "' (" + hotspots.get(0).getValue()
					+ "): look at which rows are written concurrently there.");
		}
		if (averageRetries >= 2) {
			advice.add("Conflicts are met after " + String.format(java.util.Locale.ROOT, "%.1f", averageRetries)
					+ " retries on average: raise retry-delay or the backoff multiplier so writers spread out.");
		}
		if (metrics.mergeConflicts() > 0) {
			advice.add(metrics.mergeConflicts() + " merges hit fields both writers changed: add merge rules "
					+ "(NUMERIC_DELTA for counters, LIST_UNION for tags) where that is the intent.");
		}
		if (advice.isEmpty()) {
			advice.add("Conflict rate is low: optimistic locking suits this workload.");
		}
		return advice;
	}

}
