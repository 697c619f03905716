package io.asyncsql.core;

/**
 * How a node relates statements to transactions.
 */
public enum TransactionMode {

	/**
	 * Each call runs as its own transaction and is rolled back on error, unless a transaction is already active
	 * for the node's pool in the Reactor context (a {@link SqlTransaction} or a Spring-managed one), which it
	 * joins. A single statement runs as the database's implicit single-statement transaction; a batch is wrapped
	 * in {@code BEGIN ... COMMIT}. The default.
	 */
	AUTO,

	/**
	 * The node never opens a transaction by itself: calls join the active transaction (a {@link SqlTransaction}
	 * or a Spring-managed one) or otherwise run in autocommit. Multi-statement work goes through
	 * {@link AsyncSqlNode#beginTransaction()} or {@link AsyncSqlNode#inTransaction}.
	 */
	MANUAL,

	/**
	 * Autocommit on a connection of the node's own: calls never join an active transaction and a batch is not
	 * wrapped. Suited to read-only nodes.
	 */
	NONE

}
