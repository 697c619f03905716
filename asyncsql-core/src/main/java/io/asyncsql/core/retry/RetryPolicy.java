package io.asyncsql.core.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.metrics.NodeMetrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs attempts of a call until one succeeds, a failure is not worth retrying, or the retries allowed by
 * {@link RetryConfig} are used up. Decides per failure from its {@link TransientReason}, the {@link Phase} it
 * happened in and the {@link RetryScope} of the call, so a write whose outcome is unknown is never sent twice.
 * Counts retries in {@code asyncsql.retries} and exhaustion in {@code asyncsql.retries.exhausted}; delays run on
 * the given scheduler (virtual time in tests).
 */
public final class RetryPolicy {

	private static final Logger logger = LoggerFactory.getLogger(RetryPolicy.class);

	private final String node;

	private final RetryConfig config;

	private final TransientFailureClassifier classifier;

	private final NodeMetrics metrics;

	private final Scheduler timer;

	/**
	 * Creates a policy.
	 * @param node the node name, for logs and exceptions
	 * @param config delays and retry count
	 * @param classifier tells transient failures apart
	 * @param metrics where retries are counted
	 * @param timer runs the delays
	 */
	public RetryPolicy(String node, RetryConfig config, TransientFailureClassifier classifier, NodeMetrics metrics,
			Scheduler timer) {
		this.node = node;
		this.config = config;
		this.classifier = classifier;
		this.metrics = metrics;
		this.timer = timer;
	}

	/** @return the retry settings */
	public RetryConfig config() {
		return this.config;
	}

	/**
	 * Runs {@code attempt}, resubscribing after retryable failures.
	 * @param attempt one attempt; failures may be wrapped in {@link AttemptFailure} to tell their phase
	 * (unwrapped failures count as {@link Phase#EXECUTE})
	 * @param scope what the call does
	 * @param translator turns a final failure (unwrapped) and the attempt count into the public exception
	 * @param <T> the result type
	 * @return the result of the first successful attempt, or the failure: {@link RetryExhaustedException} when a
	 * transient failure outlasted every retry, {@link CommitOutcomeUnknownException} when a transient failure struck
	 * a write that may already have taken effect (never retried), otherwise what {@code translator} makes of it
	 */
	public <T> Mono<T> run(Mono<T> attempt, RetryScope scope,
			BiFunction<Throwable, Integer, ? extends Throwable> translator) {
		return Mono.defer(() -> {
			AtomicInteger attempts = new AtomicInteger();
			return attempts(attempt, scope, attempts)
				.onErrorMap(failure -> finalFailure(failure, attempts.get(), translator));
		});
	}

	// Resubscribes through onErrorResume rather than retryWhen: retryWhen builds a sink and a companion pipeline on
	// every subscription, a cost every successful call paid although only failing calls need it.
	private <T> Mono<T> attempts(Mono<T> attempt, RetryScope scope, AtomicInteger attempts) {
		return Mono.defer(() -> {
			attempts.incrementAndGet();
			return attempt;
		}).onErrorResume(failure -> {
			Decision decision = decide(failure, scope);
			if (decision.reason == null) {
				return Mono.error(failure);
			}
			if (!decision.retryable) {
				return Mono.error(new OutcomeUnknown(failure, decision.reason));
			}
			int done = attempts.get();
			if (this.config.maxRetries() == 0) {
				return Mono.error(failure);
			}
			if (done > this.config.maxRetries()) {
				this.metrics.recordRetriesExhausted();
				logger.warn("Node '{}': giving up after {} attempts, the last failed with {}", this.node, done,
						decision.reason.tag());
				return Mono.error(new Exhausted(failure, decision.reason));
			}
			Duration delay = Backoff.delay(this.config, done - 1);
			this.metrics.recordRetry(decision.reason);
			logger.warn("Node '{}': attempt {} of {} failed with {} ({}); retrying in {} ms", this.node, done,
					this.config.maxRetries() + 1, decision.reason.tag(), describe(failure), delay.toMillis());
			return Mono.delay(delay, this.timer).then(attempts(attempt, scope, attempts));
		});
	}

	private Decision decide(Throwable failure, RetryScope scope) {
		if (unwrap(failure) instanceof CommitOutcomeUnknownException) {
			return Decision.NOT_TRANSIENT;
		}
		Phase phase = (failure instanceof AttemptFailure wrapped) ? wrapped.phase() : Phase.EXECUTE;
		TransientReason reason = this.classifier.classify(unwrap(failure));
		if (reason == null) {
			return Decision.NOT_TRANSIENT;
		}
		boolean safe = switch (phase) {
			case ACQUIRE -> true;
			case EXECUTE -> switch (scope) {
				case READ_ONLY, TRANSACTION -> true;
				case AUTOCOMMIT_WRITE -> reason.statementRejected();
				case AUTOCOMMIT_BATCH -> false;
			};
			case COMMIT -> reason.statementRejected();
		};
		return new Decision(reason, safe);
	}

	private Throwable finalFailure(Throwable failure, int attempts,
			BiFunction<Throwable, Integer, ? extends Throwable> translator) {
		if (failure instanceof Exhausted exhausted) {
			Throwable cause = translator.apply(unwrap(exhausted.getCause()), attempts);
			return new RetryExhaustedException("Node '" + this.node + "': failed after " + attempts + " attempts, the "
					+ "last with " + exhausted.reason.tag() + ": " + cause.getMessage(), this.node, attempts,
					exhausted.reason, TransientFailureClassifier.sqlState(cause), cause);
		}
		if (failure instanceof OutcomeUnknown unknown) {
			Throwable cause = translator.apply(unwrap(unknown.getCause()), attempts);
			String what = unknown.reason.statementRejected()
					? "a statement of an autocommit batch failed after earlier ones may have committed"
					: "the connection failed after a write was sent";
			return new CommitOutcomeUnknownException("Node '" + this.node + "': " + what + ", so whether it took "
					+ "effect is unknown; it was not retried (" + cause.getMessage() + ")", this.node,
					TransientFailureClassifier.sqlState(cause), attempts, cause);
		}
		if (failure instanceof AsyncSqlException) {
			return failure;
		}
		return translator.apply(unwrap(failure), attempts);
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof AttemptFailure && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private static String describe(Throwable failure) {
		Throwable cause = unwrap(failure);
		String state = TransientFailureClassifier.sqlState(cause);
		return cause.getClass().getSimpleName() + ((state != null) ? " SQLState " + state : "");
	}

	private record Decision(@Nullable TransientReason reason, boolean retryable) {

		static final Decision NOT_TRANSIENT = new Decision(null, false);

	}

	private static final class Exhausted extends RuntimeException {

		final TransientReason reason;

		Exhausted(Throwable cause, TransientReason reason) {
			super(null, cause, false, false);
			this.reason = reason;
		}

	}

	private static final class OutcomeUnknown extends RuntimeException {

		final TransientReason reason;

		OutcomeUnknown(Throwable cause, TransientReason reason) {
			super(null, cause, false, false);
			this.reason = reason;
		}

	}

}
