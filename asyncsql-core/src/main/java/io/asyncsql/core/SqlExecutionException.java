package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * The database refused or failed a statement (a constraint violation, a syntax error, a permission problem...).
 * {@link #sqlState()} tells which; the driver's exception is the cause.
 */
public class SqlExecutionException extends AsyncSqlException {

	/**
	 * Creates the exception.
	 * @param message the database's message with bound values removed
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's exception
	 */
	public SqlExecutionException(String message, @Nullable String nodeName, @Nullable String sqlState, int attempts,
			@Nullable Throwable cause) {
		super(message, cause, nodeName, sqlState, attempts);
	}

}
