package io.asyncsql.locking;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Settings of an {@link OptimisticLockManager}.
 *
 * @param versionField the column holding the row version; default {@code version}
 * @param idField the column holding the row id; default {@code id}
 * @param maxRetries retries after the first attempt for {@link ConflictResolution#RETRY},
 * {@link ConflictResolution#MERGE} and {@code update(..)}; default 3
 * @param retryDelay the delay before the first retry; default 100 ms
 * @param retryBackoffMultiplier growth factor between delays, {@code >= 1}; default 2.0
 * @param defaultConflictResolution the strategy when an update names none; default {@link ConflictResolution#RETRY}
 * @param conflictHistorySize how many recent conflicts are kept; default 1000
 * @param maxRetryDelay the longest delay between two attempts, {@code >= retryDelay}; default 1 s. Without a cap
 * the delays of a long retry budget grow past any sensible wait (2 ms × 2^30 is 24 days)
 * @param jitter whether each delay is drawn at random between zero and the capped delay ("full jitter"), so that
 * writers that collided do not retry in lock-step and collide again; default {@code true}. Without it every
 * delay is exactly the capped delay
 */
public record LockingSettings(String versionField, String idField, int maxRetries, Duration retryDelay,
		double retryBackoffMultiplier, ConflictResolution defaultConflictResolution, int conflictHistorySize,
		Duration maxRetryDelay, boolean jitter) {

	/** The default {@link #maxRetryDelay()}. */
	public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(1);

	static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	/** The defaults listed on the components. */
	public static final LockingSettings DEFAULT = new LockingSettings("version", "id", 3, Duration.ofMillis(100), 2.0,
			ConflictResolution.RETRY, 1000);

	/**
	 * Settings with the default {@link #maxRetryDelay()} (1 s, or {@code retryDelay} when that is longer) and
	 * jitter on.
	 * @param versionField see {@link #versionField()}
	 * @param idField see {@link #idField()}
	 * @param maxRetries see {@link #maxRetries()}
	 * @param retryDelay see {@link #retryDelay()}
	 * @param retryBackoffMultiplier see {@link #retryBackoffMultiplier()}
	 * @param defaultConflictResolution see {@link #defaultConflictResolution()}
	 * @param conflictHistorySize see {@link #conflictHistorySize()}
	 * @throws IllegalArgumentException when a column name is not a plain identifier or a number is out of range
	 */
	public LockingSettings(String versionField, String idField, int maxRetries, Duration retryDelay,
			double retryBackoffMultiplier, ConflictResolution defaultConflictResolution, int conflictHistorySize) {
		this(versionField, idField, maxRetries, retryDelay, retryBackoffMultiplier, defaultConflictResolution,
				conflictHistorySize, defaultMaxRetryDelay(retryDelay), true);
	}

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when a column name is not a plain identifier or a number is out of range
	 */
	public LockingSettings {
		requireIdentifier("version-field", versionField);
		requireIdentifier("id-field", idField);
		Objects.requireNonNull(retryDelay, "retryDelay");
		Objects.requireNonNull(defaultConflictResolution, "defaultConflictResolution");
		if (maxRetries < 0) {
			throw new IllegalArgumentException("locking max-retries must be >= 0 but was " + maxRetries);
		}
		if (retryDelay.isNegative()) {
			throw new IllegalArgumentException("locking retry-delay must not be negative but was " + retryDelay);
		}
		if (!(retryBackoffMultiplier >= 1.0) || Double.isInfinite(retryBackoffMultiplier)) {
			throw new IllegalArgumentException("locking retry-backoff-multiplier must be >= 1 but was "
					+ retryBackoffMultiplier);
		}
		if (conflictHistorySize < 0) {
			throw new IllegalArgumentException("locking conflict-history-size must be >= 0 but was " + conflictHistorySize);
		}
		Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
		if (maxRetryDelay.compareTo(retryDelay) < 0) {
			throw new IllegalArgumentException("locking max-retry-delay must be >= retry-delay (" + retryDelay
					+ ") but was " + maxRetryDelay);
		}
	}

	private static Duration defaultMaxRetryDelay(Duration retryDelay) {
		return (retryDelay != null && retryDelay.compareTo(DEFAULT_MAX_RETRY_DELAY) > 0) ? retryDelay
				: DEFAULT_MAX_RETRY_DELAY;
	}

	static void requireIdentifier(String what, String name) {
		if (name == null || !IDENTIFIER.matcher(name).matches()) {
			throw new IllegalArgumentException(what + " '" + name + "' is not a valid identifier: use letters, digits "
					+ "and '_', starting with a letter or '_', at most 63 characters");
		}
	}

	/**
	 * The delay before a retry.
	 * @param retryIndex 0 for the first retry
	 * @return {@code min(retryDelay × retryBackoffMultiplier^retryIndex, maxRetryDelay)}, or with jitter a random
	 * duration between zero and that
	 */
	public Duration delay(int retryIndex) {
		return backoff().delay(retryIndex);
	}

	LockRetryBackoff backoff() {
		return new LockRetryBackoff(this.retryDelay, this.retryBackoffMultiplier, this.maxRetryDelay, this.jitter);
	}

}
