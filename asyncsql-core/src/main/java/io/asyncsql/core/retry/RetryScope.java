package io.asyncsql.core.retry;

/**
 * What an attempt does, which bounds what may be retried after a failure.
 */
public enum RetryScope {

	/** A read-only statement: running it again cannot change data, so every transient failure is retried. */
	READ_ONLY,

	/**
	 * A write in autocommit: retried only when it certainly did not take effect (no connection yet, or the server
	 * refused it with a deadlock, serialization or lock failure). A broken connection after sending it leaves the
	 * outcome unknown and is not retried.
	 */
	AUTOCOMMIT_WRITE,

	/**
	 * Several writes in autocommit (a batch outside a transaction), each committed on its own as it runs: once the
	 * first was sent, no failure proves that none took effect, so only failures before anything was sent (getting
	 * a connection) are retried.
	 */
	AUTOCOMMIT_BATCH,

	/**
	 * A whole transaction: any transient failure before COMMIT rolled it back, so it is retried; during COMMIT only a
	 * refusal by the server (for example a serialization failure) is.
	 */
	TRANSACTION

}
