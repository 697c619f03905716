package io.asyncsql.core;

import io.asyncsql.core.retry.TransientReason;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.TransientDataAccessException;

/**
 * A call failed transiently on every attempt it was allowed. A Spring {@code TransientDataAccessException}: the
 * failure itself is still a transient one, so an outer retry (Spring's {@code @Retryable}, a later request) may
 * succeed. The last failure, translated ({@link ConnectionFailureException}, {@link PoolExhaustedException},
 * {@link TransactionConflictException}...), is the cause, so {@code contains(...)} tells the kind apart.
 */
public class RetryExhaustedException extends TransientDataAccessException implements AsyncSqlException {

	private final FailureOrigin origin;

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
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
		this.reason = reason;
	}

	/**
	 * Why the last attempt failed.
	 * @return the transient reason
	 */
	public TransientReason reason() {
		return this.reason;
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
