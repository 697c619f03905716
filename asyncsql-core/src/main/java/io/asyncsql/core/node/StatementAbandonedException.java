package io.asyncsql.core.node;

import java.time.Duration;

/**
 * A statement did not end even after the server was asked to cancel it, so the client stopped waiting and the
 * connection was closed. Internal: translated into a public exception before it reaches callers.
 */
final class StatementAbandonedException extends RuntimeException {

	StatementAbandonedException(Duration waited, Throwable cause) {
		super("no outcome within " + waited.toMillis() + " ms after the cancel request", cause, false, false);
	}

}
