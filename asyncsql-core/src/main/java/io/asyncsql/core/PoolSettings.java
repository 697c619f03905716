package io.asyncsql.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection pool settings. Every wait is bounded by default: acquiring a connection, creating one and validating
 * one each have a limit, and connections are recycled after {@code maxLifeTime}. Idle eviction only ever removes
 * connections that are idle, never ones in use.
 *
 * @param initialSize connections opened when the pool starts, {@code >= 0}; default 1
 * @param maxSize upper bound of open connections, {@code >= 1} and {@code >= initialSize}; default 10
 * @param maxIdleTime how long a connection may sit unused before it is closed, {@code > 0}; default 30 min
 * @param maxLifeTime age after which a connection is closed once released, {@code > 0}; default 60 min
 * @param maxAcquireTime how long a caller waits for a connection before failing, {@code > 0}; default 5 s
 * @param maxValidationTime how long validating a connection may take, {@code > 0}; default 2 s
 * @param maxCreateConnectionTime how long opening a new connection may take, {@code > 0}; default 10 s
 */
public record PoolSettings(int initialSize, int maxSize, Duration maxIdleTime, Duration maxLifeTime,
		Duration maxAcquireTime, Duration maxValidationTime, Duration maxCreateConnectionTime) {

	/** The defaults listed on the record components. */
	public static final PoolSettings DEFAULT = new PoolSettings(1, 10, Duration.ofMinutes(30), Duration.ofMinutes(60),
			Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(10));

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when a value is out of range; the message names the setting
	 */
	public PoolSettings {
		if (initialSize < 0) {
			throw new IllegalArgumentException("pool initial-size must be >= 0 but was " + initialSize);
		}
		if (maxSize < 1) {
			throw new IllegalArgumentException("pool max-size must be >= 1 but was " + maxSize);
		}
		if (maxSize < initialSize) {
			throw new IllegalArgumentException(
					"pool max-size (" + maxSize + ") must be >= initial-size (" + initialSize + ")");
		}
		requirePositive("max-idle-time", maxIdleTime);
		requirePositive("max-life-time", maxLifeTime);
		requirePositive("max-acquire-time", maxAcquireTime);
		requirePositive("max-validation-time", maxValidationTime);
		requirePositive("max-create-connection-time", maxCreateConnectionTime);
	}

	private static void requirePositive(String name, Duration value) {
		Objects.requireNonNull(value, () -> "pool " + name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("pool " + name + " must be positive but was " + value);
		}
	}

	/**
	 * A builder starting from {@link #DEFAULT}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder(DEFAULT);
	}

	/**
	 * A builder starting from these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** Builds {@link PoolSettings}; unset values keep the starting settings. */
	public static final class Builder {

		private int initialSize;

		private int maxSize;

		private Duration maxIdleTime;

		private Duration maxLifeTime;

		private Duration maxAcquireTime;

		private Duration maxValidationTime;

		private Duration maxCreateConnectionTime;

		private Builder(PoolSettings from) {
			this.initialSize = from.initialSize;
			this.maxSize = from.maxSize;
			this.maxIdleTime = from.maxIdleTime;
			this.maxLifeTime = from.maxLifeTime;
			this.maxAcquireTime = from.maxAcquireTime;
			this.maxValidationTime = from.maxValidationTime;
			this.maxCreateConnectionTime = from.maxCreateConnectionTime;
		}

		public Builder initialSize(int initialSize) {
			this.initialSize = initialSize;
			return this;
		}

		public Builder maxSize(int maxSize) {
			this.maxSize = maxSize;
			return this;
		}

		public Builder maxIdleTime(Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
			return this;
		}

		public Builder maxLifeTime(Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
			return this;
		}

		public Builder maxAcquireTime(Duration maxAcquireTime) {
			this.maxAcquireTime = maxAcquireTime;
			return this;
		}

		public Builder maxValidationTime(Duration maxValidationTime) {
			this.maxValidationTime = maxValidationTime;
			return this;
		}

		public Builder maxCreateConnectionTime(Duration maxCreateConnectionTime) {
			this.maxCreateConnectionTime = maxCreateConnectionTime;
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 * @throws IllegalArgumentException when a value is out of range
		 */
		public PoolSettings build() {
			return new PoolSettings(this.initialSize, this.maxSize, this.maxIdleTime, this.maxLifeTime,
					this.maxAcquireTime, this.maxValidationTime, this.maxCreateConnectionTime);
		}

	}

}
