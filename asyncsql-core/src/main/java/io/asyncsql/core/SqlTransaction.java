package io.asyncsql.core;

import reactor.core.publisher.Mono;

/**
 * A database transaction pinned to one connection. Statements run in order on that connection until
 * {@link #commit()} or {@link #rollback()} returns it to the pool.
 * <p>
 * A statement that fails rolls the transaction back at once and releases the connection; after that, and after
 * commit or rollback, every statement fails with {@link TransactionStateException}. A transaction left open
 * longer than the node's {@code transaction-timeout} is rolled back and its connection returned. Statements are
 * never retried one by one inside a transaction; {@link AsyncSqlNode#inTransaction} retries whole blocks.
 */
public interface SqlTransaction extends SqlOperations {

	/**
	 * Commits and returns the connection to the pool.
	 * @return completes when committed; fails with {@link TransactionStateException} when the transaction is no
	 * longer active, or with {@link CommitOutcomeUnknownException} when the connection broke during COMMIT
	 */
	Mono<Void> commit();

	/**
	 * Rolls back and returns the connection to the pool. Rolling back a transaction that was already rolled back
	 * (explicitly, after a failed statement, or by its timeout), or whose commit or rollback is still under way
	 * (a clean-up after a cancelled commit, say; that ending returns the connection), completes without doing
	 * anything.
	 * @return completes when rolled back; fails with {@link TransactionStateException} after a commit
	 */
	Mono<Void> rollback();

	/**
	 * Whether statements may still run.
	 * @return {@code true} until commit, rollback, a failed statement or the timeout ends the transaction
	 */
	boolean isActive();

}
