package io.asyncsql.core.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlExecutionException;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.core.retry.AttemptFailure;
import io.asyncsql.core.retry.Backoff;
import io.asyncsql.core.retry.Phase;
import io.asyncsql.core.retry.RetryPolicy;
import io.asyncsql.core.retry.RetryScope;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataAccessException;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

import static io.asyncsql.core.resilience.TransientFailureClassificationTests.serverError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retry policy on virtual time: exact delays without jitter, bounded ones with it, which failures are retried in
 * which phase and scope, and the counters. Failures are the driver's own exceptions.
 */
class RetryPolicyTests {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private RetryPolicy policy(RetryConfig config) {
		return new RetryPolicy("orders", config, new TransientFailureClassifier(), NodeMetrics.of("orders", this.registry),
				this.time);
	}

	private static DataAccessException translate(Throwable failure, int attempts) {
		return (failure instanceof AsyncSqlException && failure instanceof DataAccessException known) ? known
				: new SqlExecutionException("failed: " + failure.getMessage(), "orders",
						TransientFailureClassifier.sqlState(failure), attempts, failure);
	}

	private double retries(String reason) {
		var counter = this.registry.find(NodeMetrics.RETRIES).tag("node", "orders").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private double exhausted() {
		var counter = this.registry.find(NodeMetrics.RETRIES_EXHAUSTED).tag("node", "orders").counter();
		return (counter != null) ? counter.count() : 0;
	}

	@Test
	void withoutJitterTheDelaysAreExactlyInitialDelayTimesBaseToTheNCappedAtMaxDelay() {
		RetryConfig config = new RetryConfig(6, Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, false);
		List<Long> attemptTimes = new ArrayList<>();
		Mono<String> attempt = Mono.defer(() -> {
			attemptTimes.add(this.time.now(TimeUnit.MILLISECONDS));
			return Mono.error(serverError("40P01"));
		});
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		policy(config).run(attempt, RetryScope.TRANSACTION, RetryPolicyTests::translate)
			.subscribe(null, outcome::set);

		// 100, 200, 400, 800, then capped at 1000 twice
		long[] expectedDelays = { 100, 200, 400, 800, 1000, 1000 };
		assertThat(attemptTimes).containsExactly(0L);
		for (int retry = 0; retry < expectedDelays.length; retry++) {
			assertThat(config.baseDelay(retry)).isEqualTo(Duration.ofMillis(expectedDelays[retry]));
			this.time.advanceTimeBy(Duration.ofMillis(expectedDelays[retry] - 1));
			assertThat(attemptTimes).as("no attempt before the delay of retry %d is over", retry).hasSize(retry + 1);
			this.time.advanceTimeBy(Duration.ofMillis(1));
			assertThat(attemptTimes).as("retry %d starts exactly when its delay is over", retry).hasSize(retry + 2);
		}
		assertThat(attemptTimes).containsExactly(0L, 100L, 300L, 700L, 1500L, 2500L, 3500L);
		assertThat(outcome.get()).isInstanceOfSatisfying(RetryExhaustedException.class, ex -> {
			assertThat(ex.attempts()).isEqualTo(7);
			assertThat(ex.reason()).isEqualTo(TransientReason.DEADLOCK);
			assertThat(ex.sqlState()).isEqualTo("40P01");
			assertThat(ex.nodeName()).isEqualTo("orders");
			assertThat(ex).hasMessageContaining("7 attempts").hasMessageContaining("deadlock");
			// the original driver exception is chained
			assertThat(ex.getCause()).isInstanceOf(SqlExecutionException.class);
			assertThat(ex.getCause().getCause()).isInstanceOf(io.r2dbc.postgresql.api.PostgresqlException.class);
		});
		assertThat(retries("deadlock")).isEqualTo(6);
		assertThat(exhausted()).isEqualTo(1);
	}

	@Test
	void jitterKeepsEachDelayWithinAQuarterOfItsBase() {
		RetryConfig config = new RetryConfig(5, Duration.ofMillis(100), Duration.ofMillis(1000), 2.0, true);
		List<Duration> seen = new ArrayList<>();
		for (int round = 0; round < 200; round++) {
			for (int retry = 0; retry < 6; retry++) {
				Duration delay = Backoff.delay(config, retry);
				long base = config.baseDelay(retry).toNanos();
				assertThat(delay.toNanos()).isBetween((long) (base * 0.75), (long) (base * 1.25));
				if (retry == 0) {
					seen.add(delay);
				}
			}
		}
		assertThat(seen.stream().distinct().count()).as("jitter varies the delays").isGreaterThan(100);
	}

	@Test
	void jitteredDelaysOnVirtualTimeStayWithinTheirBounds() {
		RetryConfig config = new RetryConfig(3, Duration.ofMillis(400), Duration.ofSeconds(5), 2.0, true);
		List<Long> attemptTimes = new ArrayList<>();
		Mono<String> attempt = Mono.defer(() -> {
			attemptTimes.add(this.time.now(TimeUnit.MILLISECONDS));
			return Mono.error(serverError("40001"));
		});
		policy(config).run(attempt, RetryScope.TRANSACTION, RetryPolicyTests::translate).subscribe(null, error -> {
		});
		this.time.advanceTimeBy(Duration.ofSeconds(10));
		assertThat(attemptTimes).hasSize(4);
		long[] bases = { 400, 800, 1600 };
		for (int i = 0; i < bases.length; i++) {
			long gap = attemptTimes.get(i + 1) - attemptTimes.get(i);
			assertThat(gap).isBetween((long) (bases[i] * 0.75), (long) (bases[i] * 1.25));
		}
		assertThat(retries("serialization")).isEqualTo(3);
	}

	@Test
	void succeedsOnALaterAttemptAndCountsOnlyTheRetries() {
		AtomicInteger attempts = new AtomicInteger();
		Mono<String> attempt = Mono.defer(() -> (attempts.incrementAndGet() < 3)
				? Mono.error(AttemptFailure.of(Phase.ACQUIRE, serverError("53300"))) : Mono.just("done"));
		AtomicReference<String> result = new AtomicReference<>();
		policy(new RetryConfig(3, Duration.ofMillis(50), Duration.ofSeconds(1), 2.0, false))
			.run(attempt, RetryScope.AUTOCOMMIT_WRITE, RetryPolicyTests::translate)
			.subscribe(result::set);
		this.time.advanceTimeBy(Duration.ofMillis(149));
		assertThat(result.get()).isNull();
		this.time.advanceTimeBy(Duration.ofMillis(1));
		assertThat(result.get()).isEqualTo("done");
		assertThat(attempts.get()).isEqualTo(3);
		assertThat(retries("too_many_connections")).isEqualTo(2);
		assertThat(exhausted()).isZero();
	}

	@Test
	void permanentFailuresAndZeroRetriesFailAtOnceWithoutCounting() {
		AtomicInteger attempts = new AtomicInteger();
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		policy(RetryConfig.DEFAULT).run(Mono.defer(() -> {
			attempts.incrementAndGet();
			return Mono.error(serverError("23505"));
		}), RetryScope.AUTOCOMMIT_WRITE, RetryPolicyTests::translate).subscribe(null, outcome::set);
		assertThat(attempts.get()).isEqualTo(1);
		assertThat(outcome.get()).isInstanceOfSatisfying(SqlExecutionException.class,
				ex -> assertThat(ex.sqlState()).isEqualTo("23505"));

		policy(RetryConfig.NONE).run(Mono.defer(() -> {
			attempts.incrementAndGet();
			return Mono.error(serverError("40P01"));
		}), RetryScope.TRANSACTION, RetryPolicyTests::translate).subscribe(null, outcome::set);
		assertThat(attempts.get()).isEqualTo(2);
		assertThat(outcome.get()).isInstanceOf(SqlExecutionException.class).isNotInstanceOf(RetryExhaustedException.class);
		assertThat(this.registry.find(NodeMetrics.RETRIES).counters()).isEmpty();
		assertThat(exhausted()).isZero();
	}

	/**
	 * Which failure is retried where: before anything was sent always; a refused statement (deadlock, serialization,
	 * lock) also for autocommit writes; a broken connection after a write was sent, or during COMMIT, never.
	 */
	@ParameterizedTest(name = "{0} in {1} of {2} -> {3}")
	@CsvSource({
			"08006, ACQUIRE, AUTOCOMMIT_WRITE, retried",
			"53300, ACQUIRE, AUTOCOMMIT_BATCH, retried",
			"08006, EXECUTE, READ_ONLY,        retried",
			"57P01, EXECUTE, READ_ONLY,        retried",
			"08006, EXECUTE, TRANSACTION,      retried",
			"57P01, EXECUTE, TRANSACTION,      retried",
			"40P01, EXECUTE, AUTOCOMMIT_WRITE, retried",
			"40001, EXECUTE, AUTOCOMMIT_WRITE, retried",
			"55P03, EXECUTE, AUTOCOMMIT_WRITE, retried",
			"08006, EXECUTE, AUTOCOMMIT_WRITE, unknown",
			"57P01, EXECUTE, AUTOCOMMIT_WRITE, unknown",
			"40P01, EXECUTE, AUTOCOMMIT_BATCH, unknown",
			"08006, EXECUTE, AUTOCOMMIT_BATCH, unknown",
			"40001, COMMIT,  TRANSACTION,      retried",
			"08006, COMMIT,  TRANSACTION,      unknown",
			"57P01, COMMIT,  TRANSACTION,      unknown" })
	void whatIsRetriedDependsOnPhaseAndScope(String sqlState, Phase phase, RetryScope scope, String expected) {
		AtomicInteger attempts = new AtomicInteger();
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		AtomicReference<String> result = new AtomicReference<>();
		policy(new RetryConfig(2, Duration.ofMillis(10), Duration.ofMillis(10), 1.0, false)).run(Mono.defer(() -> {
			return (attempts.incrementAndGet() == 1) ? Mono.error(AttemptFailure.of(phase, serverError(sqlState)))
					: Mono.just("second attempt");
		}), scope, RetryPolicyTests::translate).subscribe(result::set, outcome::set);
		this.time.advanceTimeBy(Duration.ofSeconds(1));
		if (expected.equals("retried")) {
			assertThat(result.get()).isEqualTo("second attempt");
			assertThat(attempts.get()).isEqualTo(2);
			assertThat(this.registry.find(NodeMetrics.RETRIES).counter().count()).isEqualTo(1);
		}
		else {
			assertThat(attempts.get()).isEqualTo(1);
			assertThat(outcome.get()).isInstanceOfSatisfying(CommitOutcomeUnknownException.class, ex -> {
				assertThat(ex.attempts()).isEqualTo(1);
				assertThat(ex.sqlState()).isEqualTo(sqlState);
				assertThat(ex).hasMessageContaining("not retried");
			});
			assertThat(this.registry.find(NodeMetrics.RETRIES).counters()).isEmpty();
		}
	}

	@Test
	void anUnknownOutcomeReportedFromInsideTheAttemptIsNeverRetried() {
		AtomicInteger attempts = new AtomicInteger();
		AtomicReference<Throwable> outcome = new AtomicReference<>();
		CommitOutcomeUnknownException unknown = new CommitOutcomeUnknownException("lost during COMMIT", "orders", "08006",
				1, serverError("08006"));
		policy(RetryConfig.DEFAULT).run(Mono.defer(() -> {
			attempts.incrementAndGet();
			return Mono.error(AttemptFailure.of(Phase.COMMIT, unknown));
		}), RetryScope.TRANSACTION, RetryPolicyTests::translate).subscribe(null, outcome::set);
		assertThat(attempts.get()).isEqualTo(1);
		assertThat(outcome.get()).isSameAs(unknown);
	}

}
