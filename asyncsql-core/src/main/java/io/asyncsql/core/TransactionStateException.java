package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * A transaction was used in a state that does not allow it: after commit or rollback, after a failed statement
 * rolled it back, or after it was rolled back for exceeding its transaction timeout; or a commit that became a
 * rollback because a Spring-managed transaction taking part failed. A Spring
 * {@code InvalidDataAccessApiUsageException}.
 */
public class TransactionStateException extends InvalidDataAccessApiUsageException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message what was attempted in which state
	 * @param nodeName the node
	 */
	public TransactionStateException(String message, @Nullable String nodeName) {
		super(message, null);
		this.origin = new FailureOrigin(nodeName, null, 0);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
