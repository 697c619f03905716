package io.asyncsql.benchmarks.load;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.locking.LockResult;
import io.asyncsql.locking.LockingSettings;
import io.asyncsql.locking.OptimisticLockManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.scheduler.Schedulers;

/**
 * Many writers incrementing one row: the optimistic {@code update(..)} with RETRY (read, compute, version-checked
 * write, again on conflict) against a pessimistic transaction that takes the row lock with
 * {@code SELECT ... FOR UPDATE} and then writes. Both run on one node, one after the other in the same process.
 */
final class HotRowContention {

	private final Target target;

	private final BenchSchema schema;

	private final int poolSize;

	HotRowContention(Target target, BenchSchema schema, int poolSize) {
		this.target = target;
		this.schema = schema;
		this.poolSize = poolSize;
	}

	/**
	 * Runs the optimistic strategy.
	 * @param label the row label in reports
	 * @param locking the lock manager's settings (retries and delays)
	 * @param writers concurrent writers
	 * @param duration run time
	 * @return what was measured
	 * @throws Exception when the correctness read fails
	 */
	HotRowOutcome optimistic(String label, LockingSettings locking, int writers, Duration duration) throws Exception {
		OptimisticLockManager locks = new OptimisticLockManager(locking, null, Schedulers.parallel(), Clock.systemUTC());
		LongAdder retries = new LongAdder();
		LongAdder exhausted = new LongAdder();
		String table = this.schema.table("hot_counter");
		try (AsyncSqlNode node = AsyncSqlNode.builder(R2dbcSettings.node("bench-hot-optimistic", this.target,
				this.poolSize)).build()) {
			return measure(label, writers, duration, AsyncOperation.of(() -> locks
				.update(node, table, 1L, row -> Map.of("balance", ((Number) row.get("balance")).longValue() + 1))
				.doOnNext(result -> {
					retries.add(result.retryCount());
					if (!result.isSuccess()) {
						exhausted.increment();
						throw new Conflicted(result);
					}
				})), retries, exhausted);
		}
	}

	/**
	 * Runs the pessimistic strategy: {@code inTransaction} with {@code SELECT ... FOR UPDATE} and an update.
	 * @param writers concurrent writers
	 * @param duration run time
	 * @return what was measured; retries are whole-transaction retries of the node (deadlocks and the like)
	 * @throws Exception when the correctness read fails
	 */
	HotRowOutcome pessimistic(int writers, Duration duration) throws Exception {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		String select = "SELECT balance FROM " + this.schema.table("hot_counter") + " WHERE id = :id FOR UPDATE";
		String update = "UPDATE " + this.schema.table("hot_counter")
				+ " SET balance = :balance, version = version + 1 WHERE id = :id";
		NodeSettings settings = R2dbcSettings.node("bench-hot-pessimistic", this.target, this.poolSize);
		try (AsyncSqlNode node = AsyncSqlNode.builder(settings).meterRegistry(meters).build()) {
			LongAdder retries = new LongAdder();
			HotRowOutcome outcome = measure("SELECT ... FOR UPDATE transaction", writers, duration,
					AsyncOperation.of(() -> node.inTransaction(tx -> tx.execute(select, Map.of("id", 1L), FetchMode.ONE)
						.flatMap(row -> tx.execute(update, Map.of("id", 1L, "balance",
								((Number) row.one().get("balance")).longValue() + 1))))
						.then()), retries, new LongAdder());
			double retried = meters.find(NodeMetrics.RETRIES).counters().stream().mapToDouble(c -> c.count()).sum();
			return outcome.withRetries((long) retried);
		}
	}

	private HotRowOutcome measure(String label, int writers, Duration duration, AsyncOperation operation,
			LongAdder retries, LongAdder exhausted) throws Exception {
		long before = this.schema.snapshot().hotBalance();
		LoopOutcome outcome = ClosedLoop.async(operation, writers, duration);
		long after = this.schema.snapshot().hotBalance();
		boolean correct = (after - before) == outcome.operations();
		String check = correct ? "balance grew by exactly the successes (" + outcome.operations() + ")"
				: "balance grew by " + (after - before) + " but " + outcome.operations() + " increments succeeded";
		return new HotRowOutcome(label, writers, outcome, retries.sum(), exhausted.sum(), correct, check);
	}

	/** An optimistic increment that ran out of retries: counted as a failed call. */
	private static final class Conflicted extends RuntimeException {

		private static final long serialVersionUID = 1L;

		Conflicted(LockResult result) {
			super("optimistic update ended " + result.status() + " after " + result.retryCount() + " retries", null,
					false, false);
		}

	}

	/**
	 * The figures of one strategy.
	 *
	 * @param label the strategy
	 * @param writers concurrent writers
	 * @param loop the closed-loop figures (operations are successful increments)
	 * @param retries retries made, by all calls including the ones that gave up
	 * @param exhausted calls that gave up
	 * @param correct whether the row's balance grew by exactly the successful increments
	 * @param check what the correctness check found
	 */
	record HotRowOutcome(String label, int writers, LoopOutcome loop, long retries, long exhausted, boolean correct,
			String check) {

		HotRowOutcome withRetries(long count) {
			return new HotRowOutcome(this.label, this.writers, this.loop, count, this.exhausted, this.correct, this.check);
		}

		/** @return retries per successful increment */
		double retriesPerSuccess() {
			return (this.loop.operations() > 0) ? (double) this.retries / this.loop.operations() : Double.NaN;
		}

	}

}
