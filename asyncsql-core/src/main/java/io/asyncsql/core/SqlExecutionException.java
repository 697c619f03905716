package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.UncategorizedDataAccessException;

/**
 * The database failed a statement for a reason none of the more specific types covers ({@link
 * IntegrityViolationException}, {@link UniqueViolationException}, {@link InvalidStatementException},
 * {@link TransactionConflictException}, {@link QueryTimeoutException}, {@link ConnectionFailureException}): a
 * Spring {@code UncategorizedDataAccessException}. {@link #sqlState()} tells what happened; the driver's
 * exception is the cause.
 */
public class SqlExecutionException extends UncategorizedDataAccessException implements AsyncSqlException {

	private final FailureOrigin origin;

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
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
