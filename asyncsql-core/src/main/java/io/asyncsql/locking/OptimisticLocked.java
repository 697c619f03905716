package io.asyncsql.locking;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Re-invokes a Spring bean method when it fails with a version conflict ({@link OptimisticLockConflictException}
 * or any Spring {@code OptimisticLockingFailureException}, so Spring Data {@code @Version} entities too), with
 * capped exponential backoff and jitter, up to {@link #maxRetries()} times; then the last conflict propagates. Each attempt calls the method
 * again, so it reads fresh data; the advice runs outside {@code @Transactional}, so each attempt has a transaction
 * of its own.
 * <p>
 * Works for methods returning {@code Mono}, {@code Flux}, {@code CompletionStage} or a plain value (which is
 * retried on the calling thread). Unset attributes take {@code asyncsql.locking.*} values.
 * <p>
 * Conflicts it retries that the {@link OptimisticLockManager} did not raise (Spring Data's) count in the
 * {@code asyncsql.lock.*} meters, the lock metrics and the conflict history, as the manager's own do.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OptimisticLocked {

	/**
	 * Retries after the first attempt; negative means {@code asyncsql.locking.max-retries} (default 3).
	 * @return the retry count
	 */
	int maxRetries() default -1;

	/**
	 * Delay before the first retry, as a duration such as {@code 50ms}; empty means
	 * {@code asyncsql.locking.retry-delay} (default 100 ms).
	 * @return the delay
	 */
	String retryDelay() default "";

	/**
	 * Growth factor between delays; below 1 means {@code asyncsql.locking.retry-backoff-multiplier} (default 2.0).
	 * @return the multiplier
	 */
	double backoffMultiplier() default -1;

	/**
	 * The longest delay between two attempts, as a duration such as {@code 500ms}; empty means
	 * {@code asyncsql.locking.max-retry-delay} (default 1 s). A {@link #retryDelay()} above it raises it.
	 * @return the cap
	 */
	String maxRetryDelay() default "";

	/**
	 * Whether each delay is drawn at random between zero and the capped delay, so that competing writers spread out
	 * instead of retrying in lock-step; {@code asyncsql.locking.jitter} does the same for
	 * {@link OptimisticLockManager}.
	 * @return {@code true} by default
	 */
	boolean jitter() default true;

}
