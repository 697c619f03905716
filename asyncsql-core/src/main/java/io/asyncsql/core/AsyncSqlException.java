package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * Base of every failure a node reports. Carries the node name, the SQLState when the database gave one, and how
 * many attempts were made. Messages never contain passwords or bound parameter values.
 */
public class AsyncSqlException extends RuntimeException {

	private final @Nullable String nodeName;

	private final @Nullable String sqlState;

	private final int attempts;

	/**
	 * Creates an exception.
	 * @param message what went wrong, safe to log
	 * @param cause the underlying failure, or {@code null}
	 * @param nodeName the node, or {@code null} when not tied to one
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many times the call was attempted ({@code >= 1} once it ran, 0 when refused before)
	 */
	public AsyncSqlException(String message, @Nullable Throwable cause, @Nullable String nodeName,
			@Nullable String sqlState, int attempts) {
		super(message, cause);
		this.nodeName = nodeName;
		this.sqlState = sqlState;
		this.attempts = attempts;
	}

	/**
	 * The node the failure happened on.
	 * @return the node name, or {@code null}
	 */
	public @Nullable String nodeName() {
		return this.nodeName;
	}

	/**
	 * The SQLState reported by the database or driver.
	 * @return the SQLState, or {@code null} when there is none
	 */
	public @Nullable String sqlState() {
		return this.sqlState;
	}

	/**
	 * How many times the call was attempted, retries included.
	 * @return the attempt count; 0 when the call was refused before reaching the database
	 */
	public int attempts() {
		return this.attempts;
	}

}
