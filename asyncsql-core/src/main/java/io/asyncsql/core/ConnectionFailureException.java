package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The database could not be reached or refused the session, or the connection broke: a network failure, SQLState
 * class {@code 08}, a server shutting down ({@code 57P01}-{@code 57P03}) or full ({@code 53300}), a refused login
 * (class {@code 28}), an unknown database ({@code 3D000}), a failed TLS handshake. A Spring
 * {@code DataAccessResourceFailureException}. Outside a transaction the transient ones are retried first; when
 * the retries run out the failure is a {@link RetryExhaustedException} with this as its cause.
 */
public class ConnectionFailureException extends DataAccessResourceFailureException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message what failed, without credentials
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's failure
	 */
	public ConnectionFailureException(String message, @Nullable String nodeName, @Nullable String sqlState,
			int attempts, @Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
