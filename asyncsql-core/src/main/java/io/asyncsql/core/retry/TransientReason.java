package io.asyncsql.core.retry;

import java.util.Locale;

/**
 * Why a failure is worth retrying. Each value is also the {@code reason} tag of {@code asyncsql.retries}.
 */
public enum TransientReason {

	/** The connection could not be opened or broke: refused, reset, DNS failure, SQLState class 08. */
	CONNECTION,

	/** No pooled connection became free within {@code max-acquire-time}. */
	POOL_EXHAUSTED,

	/** {@code 40001} serialization failure. */
	SERIALIZATION,

	/** {@code 40P01} deadlock detected (MySQL 1213). */
	DEADLOCK,

	/** {@code 55P03} lock not available, for example after {@code lock_timeout} (MySQL 1205). */
	LOCK_NOT_AVAILABLE,

	/** {@code 57P01}–{@code 57P03}: the server is shutting down, restarting or not yet accepting connections. */
	SHUTDOWN,

	/** {@code 53300} too many connections. */
	TOO_MANY_CONNECTIONS,

	/**
	 * {@code 25006} read-only transaction, PostgreSQL only: the server is a standby, which after a failover is the
	 * former primary or a standby not yet promoted (a virtual IP or DNS name moved ahead of the promotion). The
	 * connection is discarded, and the write, refused as a whole, is sent again on another.
	 */
	READ_ONLY;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** @return the metric tag value, for example {@code pool_exhausted} */
	public String tag() {
		return this.tag;
	}

	/**
	 * Whether the server refused the statement as a whole, so it certainly did not take effect and can be sent
	 * again even if it writes. Connection and shutdown failures can hit after a write was applied, so they are not.
	 * @return {@code true} for serialization, deadlock, lock, connection-limit and read-only failures
	 */
	public boolean statementRejected() {
		return this == SERIALIZATION || this == DEADLOCK || this == LOCK_NOT_AVAILABLE || this == TOO_MANY_CONNECTIONS
				|| this == POOL_EXHAUSTED || this == READ_ONLY;
	}

}
