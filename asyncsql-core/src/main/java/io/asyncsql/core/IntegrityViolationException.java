package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * The database refused a write that breaks its rules: a NOT NULL, CHECK or foreign key constraint (SQLState class
 * {@code 23}), or a value the column cannot hold (class {@code 22}: too long, out of range, not a number). A
 * {@code DataIntegrityViolationException}; a duplicate key is the more specific {@link UniqueViolationException}.
 * {@link #sqlState()} tells which rule; the message names the constraint but never the offending value.
 */
public class IntegrityViolationException extends DataIntegrityViolationException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message the database's message with bound values removed
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's exception
	 */
	public IntegrityViolationException(String message, @Nullable String nodeName, @Nullable String sqlState, int attempts,
			@Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
