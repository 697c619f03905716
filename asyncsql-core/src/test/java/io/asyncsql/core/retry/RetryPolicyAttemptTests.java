package io.asyncsql.core.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlExecutionException;
import io.asyncsql.core.metrics.NodeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@link RetryPolicy} resubscribes an attempt: how many times, after which delays, and what the caller gets in
 * the end. The failures are the exceptions the PostgreSQL driver raises, built directly so that every path can be
 * driven in virtual time.
 */
class RetryPolicyAttemptTests {

	private static final RetryConfig CONFIG = new RetryConfig(3, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0,
			false);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final AtomicInteger subscriptions = new AtomicInteger();

	private RetryPolicy policy(VirtualTimeScheduler timer) {
		return new RetryPolicy("retrying", CONFIG, new TransientFailureClassifier(), NodeMetrics.of("retrying", this.meters),
				timer);
	}

	private Mono<String> failingTimes(int failures, Throwable failure) {
		return Mono.defer(() -> (this.subscriptions.incrementAndGet() <= failures) ? Mono.error(failure) : Mono.just("done"));
	}

	private static SqlExecutionException translated(Throwable failure, int attempts) {
		return new SqlExecutionException("translated: " + failure.getClass().getSimpleName(), "retrying", null,
				attempts, failure);
	}

	@Test
	void successfulAttemptIsSubscribedOnce() {
		VirtualTimeScheduler timer = VirtualTimeScheduler.create();
		StepVerifier.create(policy(timer).run(failingTimes(0, new IllegalStateException()), RetryScope.READ_ONLY,
				RetryPolicyAttemptTests::translated))
			.expectNext("done")
			.verifyComplete();
		assertThat(this.subscriptions).hasValue(1);
	}

	@Test
	void serializationFailuresAreRetriedAfterExponentialDelays() {
		Throwable serialization = new R2dbcTransientResourceException("could not serialize access", "40001");
		StepVerifier.withVirtualTime(() -> policy(VirtualTimeScheduler.get()).run(failingTimes(2, serialization),
				RetryScope.AUTOCOMMIT_WRITE, RetryPolicyAttemptTests::translated))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(99))
			.thenAwait(Duration.ofMillis(1))
			.expectNoEvent(Duration.ofMillis(199))
			.thenAwait(Duration.ofMillis(1))
			.expectNext("done")
			.verifyComplete();
		assertThat(this.subscriptions).hasValue(3);
		assertThat(this.meters.get(NodeMetrics.RETRIES).tag("reason", "serialization").counter().count()).isEqualTo(2);
	}

	@Test
	void exhaustedRetriesEndWithTheAttemptCountAndTheReason() {
		Throwable deadlock = new R2dbcTransientResourceException("deadlock detected", "40P01");
		StepVerifier.withVirtualTime(() -> policy(VirtualTimeScheduler.get()).run(failingTimes(10, deadlock),
				RetryScope.TRANSACTION, RetryPolicyAttemptTests::translated))
			.thenAwait(Duration.ofSeconds(10))
			.expectErrorSatisfies(error -> {
				assertThat(error).isInstanceOf(RetryExhaustedException.class);
				assertThat(((RetryExhaustedException) error).attempts()).isEqualTo(4);
				assertThat(((RetryExhaustedException) error).reason()).isEqualTo(TransientReason.DEADLOCK);
				assertThat(error.getCause()).hasMessage("translated: R2dbcTransientResourceException");
			})
			.verify();
		assertThat(this.subscriptions).hasValue(4);
		assertThat(this.meters.get(NodeMetrics.RETRIES_EXHAUSTED).counter().count()).isEqualTo(1);
	}

	@Test
	void failuresThatAreNotTransientAreTranslatedWithoutRetry() {
		VirtualTimeScheduler timer = VirtualTimeScheduler.create();
		StepVerifier.create(policy(timer).run(failingTimes(5, new R2dbcDataIntegrityViolationException("duplicate", "23505")),
				RetryScope.READ_ONLY, RetryPolicyAttemptTests::translated))
			.expectErrorSatisfies(error -> {
				assertThat(error).hasMessage("translated: R2dbcDataIntegrityViolationException");
				assertThat(((AsyncSqlException) error).attempts()).isEqualTo(1);
			})
			.verify();
		assertThat(this.subscriptions).hasValue(1);
	}

	@Test
	void writeWhoseConnectionBrokeAfterSendingIsNotSentAgain() {
		VirtualTimeScheduler timer = VirtualTimeScheduler.create();
		Throwable broken = AttemptFailure.of(Phase.EXECUTE, new R2dbcNonTransientResourceException("connection closed"));
		StepVerifier.create(policy(timer).run(failingTimes(5, broken), RetryScope.AUTOCOMMIT_WRITE,
				RetryPolicyAttemptTests::translated))
			.expectError(CommitOutcomeUnknownException.class)
			.verify();
		assertThat(this.subscriptions).hasValue(1);
	}

	@Test
	void failureToAcquireIsRetriedEvenForWrites() {
		Throwable refused = AttemptFailure.of(Phase.ACQUIRE, new R2dbcNonTransientResourceException("refused"));
		StepVerifier.withVirtualTime(() -> policy(VirtualTimeScheduler.get()).run(failingTimes(1, refused),
				RetryScope.AUTOCOMMIT_WRITE, RetryPolicyAttemptTests::translated))
			.thenAwait(Duration.ofMillis(100))
			.expectNext("done")
			.verifyComplete();
		assertThat(this.subscriptions).hasValue(2);
	}

}
