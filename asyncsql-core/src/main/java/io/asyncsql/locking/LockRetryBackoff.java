package io.asyncsql.locking;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next attempt after a version conflict: exponential from {@code initial}, capped at
 * {@code max}, and with jitter drawn uniformly between zero and the capped delay. Writers that collided on a row
 * collide again if they retry together; a draw over the whole interval spreads them the most (measured against
 * ±25 % in {@code OptimisticLockContentionTests}).
 *
 * @param initial the delay before the first retry
 * @param multiplier growth factor between delays
 * @param max the longest delay
 * @param jitter whether delays are drawn at random up to the capped delay
 */
record LockRetryBackoff(Duration initial, double multiplier, Duration max, boolean jitter) {

	Duration delay(int retryIndex) {
		double capped = Math.min(this.initial.toNanos() * Math.pow(this.multiplier, Math.max(0, retryIndex)),
				this.max.toNanos());
		double nanos = this.jitter ? ThreadLocalRandom.current().nextDouble() * capped : capped;
		return Duration.ofNanos((long) nanos);
	}

}
