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
 */
public record LockingSettings(String versionField, String idField, int maxRetries, Duration retryDelay,
		double retryBackoffMultiplier, ConflictResolution defaultConflictResolution, int conflictHistorySize) {

	static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	/** The defaults listed on the components. */
	public static final LockingSettings DEFAULT = new LockingSettings("version", "id", 3, Duration.ofMillis(100), 2.0,
			ConflictResolution.RETRY, 1000);

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
	 * @return {@code retryDelay × retryBackoffMultiplier^retryIndex}
	 */
	public Duration delay(int retryIndex) {
		return Duration.ofNanos((long) (this.retryDelay.toNanos() * Math.pow(this.retryBackoffMultiplier, retryIndex)));
	}

}
