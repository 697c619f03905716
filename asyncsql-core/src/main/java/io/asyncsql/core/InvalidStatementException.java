package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

/**
 * The database rejected the statement itself (SQLState class {@code 42}): a syntax error, an unknown table or column,
 * a missing privilege. A Spring {@code InvalidDataAccessResourceUsageException}, like Spring's own
 * {@code BadSqlGrammarException}: running it again will not help.
 */
public class InvalidStatementException extends InvalidDataAccessResourceUsageException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message the database's message with bound values removed
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's exception
	 */
	public InvalidStatementException(String message, @Nullable String nodeName, @Nullable String sqlState, int attempts,
			@Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
