package io.asyncsql.core.retry;

/**
 * Where in a call a failure happened, which decides whether a write may have taken effect.
 */
public enum Phase {

	/** Getting a connection: nothing was sent. */
	ACQUIRE,

	/** Sending and running statements (before any COMMIT). */
	EXECUTE,

	/** The COMMIT of a transaction was sent. */
	COMMIT

}
