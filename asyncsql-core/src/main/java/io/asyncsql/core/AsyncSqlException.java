package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * Implemented by every failure a node reports. Each of them is a Spring
 * {@link org.springframework.dao.DataAccessException} placed where its meaning puts it in Spring's hierarchy
 * (transient failures under {@code TransientDataAccessException}, a timeout as a {@code QueryTimeoutException}, a
 * constraint violation as a {@code DataIntegrityViolationException}, a lost connection as a
 * {@code DataAccessResourceFailureException}...), so Spring's handlers, {@code @Retryable} rules and
 * {@code catch} clauses see them as they see Spring's own. This interface adds what asyncsql knows about the
 * failure: the node, the SQLState and the number of attempts.
 * <p>
 * It is an interface because a Java class has one superclass and these failures need different ones. To catch
 * every failure, catch {@code DataAccessException} (and test {@code instanceof AsyncSqlException} to read the
 * node and SQLState). Messages never contain passwords or bound parameter values.
 */
public interface AsyncSqlException {

	/**
	 * Where the failure happened.
	 * @return the node, SQLState and attempt count
	 */
	FailureOrigin origin();

	/**
	 * The node the failure happened on.
	 * @return the node name, or {@code null}
	 */
	default @Nullable String nodeName() {
		return origin().nodeName();
	}

	/**
	 * The SQLState reported by the database or driver.
	 * @return the SQLState, or {@code null} when there is none
	 */
	default @Nullable String sqlState() {
		return origin().sqlState();
	}

	/**
	 * How many times the call was attempted, retries included.
	 * @return the attempt count; 0 when the call was refused before reaching the database
	 */
	default int attempts() {
		return origin().attempts();
	}

	/**
	 * What went wrong, safe to log.
	 * @return the message
	 */
	String getMessage();

}
