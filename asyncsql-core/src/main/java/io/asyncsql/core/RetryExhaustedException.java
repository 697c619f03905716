package io.asyncsql.core;

import io.asyncsql.core.retry.TransientReason;
import org.jspecify.annotations.Nullable;

/**
 * A call failed transiently on every attempt it was allowed. The last failure is the cause.
 */
public class RetryExhaustedException extends AsyncSqlException {

	private final TransientReason reason;

	/**
	 * Creates the exception.
	 * @param message what was attempted how often
	 * @param nodeName the node
	 * @param attempts how many attempts were made
	 * @param reason why the last attempt failed
	 * @param sqlState the last SQLState, or {@code null}
	 * @param cause the last failure
	 */
	public RetryExhaustedException(String message, @Nullable String nodeName, int attempts, TransientReason reason,
			@Nullable String sqlState, Throwable cause) {
		super(message, cause, nodeName, sqlState, attempts);
		this.reason = reason;
	}

	/**
	 * Why the last attempt failed.
	 * @return the transient reason
	 */
	public TransientReason reason() {
		return this.reason;
	}

}
