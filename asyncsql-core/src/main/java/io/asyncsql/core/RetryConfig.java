package io.asyncsql.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Retry settings for transient failures (see {@code io.asyncsql.core.retry.TransientFailureClassifier}).
 * <p>
 * The delay before retry {@code n} (counting from 0) is {@code min(initialDelay × exponentialBase^n, maxDelay)},
 * varied by ±25 % when {@code jitter} is on. {@code maxRetries} counts retries after the first attempt, so a call
 * is attempted at most {@code maxRetries + 1} times.
 *
 * @param maxRetries retries after the first attempt, {@code >= 0}; default 3
 * @param initialDelay delay before the first retry, {@code >= 0}; default 100 ms
 * @param maxDelay upper bound of any delay, {@code >= initialDelay}; default 5 s
 * @param exponentialBase growth factor between delays, {@code >= 1}; default 2.0
 * @param jitter whether delays vary by ±25 % to spread competing retries; default {@code true}
 */
public record RetryConfig(int maxRetries, Duration initialDelay, Duration maxDelay, double exponentialBase,
		boolean jitter) {

	/** The defaults: 3 retries, 100 ms initial delay, 5 s maximum, base 2.0, jitter on. */
	public static final RetryConfig DEFAULT = new RetryConfig(3, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0,
			true);

	/** No retries at all. */
	public static final RetryConfig NONE = new RetryConfig(0, Duration.ZERO, Duration.ZERO, 1.0, false);

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when a value is out of range; the message names the setting
	 * @throws NullPointerException when a duration is {@code null}
	 */
	public RetryConfig {
		Objects.requireNonNull(initialDelay, "initialDelay");
		Objects.requireNonNull(maxDelay, "maxDelay");
		if (maxRetries < 0) {
			throw new IllegalArgumentException("retry max-retries must be >= 0 but was " + maxRetries);
		}
		if (initialDelay.isNegative()) {
			throw new IllegalArgumentException("retry initial-delay must not be negative but was " + initialDelay);
		}
		if (maxDelay.compareTo(initialDelay) < 0) {
			throw new IllegalArgumentException(
					"retry max-delay (" + maxDelay + ") must be >= initial-delay (" + initialDelay + ")");
		}
		if (!(exponentialBase >= 1.0) || Double.isInfinite(exponentialBase)) {
			throw new IllegalArgumentException("retry exponential-base must be a finite number >= 1 but was "
					+ exponentialBase);
		}
	}

	/**
	 * The delay before retry {@code retryIndex} without jitter.
	 * @param retryIndex 0 for the first retry
	 * @return {@code min(initialDelay × exponentialBase^retryIndex, maxDelay)}
	 */
	public Duration baseDelay(int retryIndex) {
		double nanos = this.initialDelay.toNanos() * Math.pow(this.exponentialBase, retryIndex);
		long max = this.maxDelay.toNanos();
		return Duration.ofNanos(nanos >= max ? max : (long) nanos);
	}

	/**
	 * A copy with another retry count.
	 * @param maxRetries retries after the first attempt
	 * @return the copy
	 */
	public RetryConfig withMaxRetries(int maxRetries) {
		return new RetryConfig(maxRetries, this.initialDelay, this.maxDelay, this.exponentialBase, this.jitter);
	}

}
