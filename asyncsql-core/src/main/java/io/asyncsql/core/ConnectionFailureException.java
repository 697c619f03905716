package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * The database could not be reached, or the connection broke before a statement was sent.
 */
public class ConnectionFailureException extends AsyncSqlException {

	/**
	 * Creates the exception.
	 * @param message what failed, without credentials
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's failure
	 */
	public ConnectionFailureException(String message, @Nullable String nodeName, @Nullable String sqlState,
			int attempts, @Nullable Throwable cause) {
		super(message, cause, nodeName, sqlState, attempts);
	}

}
