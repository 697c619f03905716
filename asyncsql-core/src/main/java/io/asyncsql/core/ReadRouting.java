package io.asyncsql.core;

/**
 * Where a node sends read-only statements that run outside a transaction.
 */
public enum ReadRouting {

	/** Every statement goes to the primary; replicas are only watched. */
	PRIMARY,

	/**
	 * Read-only statements outside transactions go to a healthy replica within the lag bound, everything else to
	 * the primary. The default when replicas are configured.
	 */
	REPLICA

}
