package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * The connection failed after a write (or its COMMIT) may have reached the server, so it is unknown whether the
 * write took effect. Never retried automatically, because a retry could apply the write twice; the application
 * has to check the database (for example by a client-generated key) before trying again.
 */
public class CommitOutcomeUnknownException extends AsyncSqlException {

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
		super(message, cause, nodeName, sqlState, attempts);
	}

}
