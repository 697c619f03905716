package io.asyncsql.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.RetryConfig;

/**
 * Delays between retries: exponential from {@link RetryConfig}, with ±25 % jitter when enabled.
 */
public final class Backoff {

	/** Relative spread of jittered delays. */
	public static final double JITTER = 0.25;

	private Backoff() {
	}

	/**
	 * The delay before a retry.
	 * @param config the retry settings
	 * @param retryIndex 0 for the first retry
	 * @return the delay, jittered when the settings say so
	 */
	public static Duration delay(RetryConfig config, int retryIndex) {
		Duration base = config.baseDelay(retryIndex);
		if (!config.jitter() || base.isZero()) {
			return base;
		}
		double factor = 1.0 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
		return Duration.ofNanos((long) (base.toNanos() * factor));
	}

}
