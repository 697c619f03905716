package io.asyncsql.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A statement ran longer than its timeout and was cancelled on the server. The connection went back to the pool
 * in a usable state. A Spring {@code org.springframework.dao.QueryTimeoutException}, so a transient failure.
 */
public class QueryTimeoutException extends org.springframework.dao.QueryTimeoutException implements AsyncSqlException {

	private final FailureOrigin origin;

	private final Duration timeout;

	/**
	 * Creates the exception.
	 * @param message what timed out
	 * @param nodeName the node
	 * @param timeout the timeout that was exceeded
	 * @param sqlState {@code 57014} when the server cancelled the statement, otherwise {@code null}
	 * @param cause the underlying failure, or {@code null}
	 */
	public QueryTimeoutException(String message, @Nullable String nodeName, Duration timeout,
			@Nullable String sqlState, @Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, 1);
		this.timeout = timeout;
	}

	/**
	 * The timeout that was exceeded.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
