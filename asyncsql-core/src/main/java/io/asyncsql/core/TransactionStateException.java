package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * A transaction was used in a state that does not allow it: after commit or rollback, after a failed statement
 * rolled it back, or after it was rolled back for exceeding its transaction timeout.
 */
public class TransactionStateException extends AsyncSqlException {

	/**
	 * Creates the exception.
	 * @param message what was attempted in which state
	 * @param nodeName the node
	 */
	public TransactionStateException(String message, @Nullable String nodeName) {
		super(message, null, nodeName, null, 0);
	}

}
