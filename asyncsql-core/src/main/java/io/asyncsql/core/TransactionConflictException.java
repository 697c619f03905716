package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.PessimisticLockingFailureException;

/**
 * A statement lost against a concurrent transaction and was not retried, because it ran inside a transaction (whose
 * block, not the statement, is what can be retried) or retries are off: a serialization failure ({@code 40001}), a
 * deadlock ({@code 40P01}, MySQL 1213) or a lock that did not become free ({@code 55P03}, MySQL 1205). A Spring
 * {@code PessimisticLockingFailureException}, hence a {@code TransientDataAccessException}: running the whole
 * transaction again may succeed.
 */
public class TransactionConflictException extends PessimisticLockingFailureException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message the database's message with bound values removed
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's exception
	 */
	public TransactionConflictException(String message, @Nullable String nodeName, @Nullable String sqlState, int attempts,
			@Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
