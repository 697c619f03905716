package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The connection failed after a write (or its COMMIT) may have reached the server, so it is unknown whether the
 * write took effect. Never retried automatically, because a retry could apply the write twice; the application
 * has to check the database (for example by a client-generated key) before trying again. A Spring
 * {@code DataAccessResourceFailureException} (the connection was lost), deliberately not a transient one.
 */
public class CommitOutcomeUnknownException extends DataAccessResourceFailureException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message what was in flight
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the connection failure
	 */
	public CommitOutcomeUnknownException(String message, @Nullable String nodeName, @Nullable String sqlState,
			int attempts, Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
