package io.asyncsql.core;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
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
	 * Runs other data access code in this transaction: Spring's {@code DatabaseClient}, Spring Data R2DBC
	 * repositories and {@code R2dbcTransactionManager} ({@code @Transactional}, {@code TransactionalOperator}) on
	 * this node's {@code ConnectionFactory}, and this node's own calls, subscribed inside {@code work}, use this
	 * transaction's connection and commit or roll back with it. ({@link AsyncSqlNode#inTransaction} does this for
	 * its whole block by itself.) A database failure inside {@code work} rolls the transaction back, as a failed
	 * statement does; other failures of {@code work} leave it to the caller.
	 * @param work the publisher to run; subscribed when the returned one is
	 * @param <T> the element type
	 * @return {@code work}'s elements; fails with {@link TransactionStateException} when the transaction is no
	 * longer active
	 */
	<T> Flux<T> within(Publisher<T> work);

	/**
	 * Commits and returns the connection to the pool.
	 * @return completes when committed; fails with {@link TransactionStateException} when the transaction is no
	 * longer active or when a Spring-managed transaction that took part in it marked it rollback-only (it is then
	 * rolled back), or with {@link CommitOutcomeUnknownException} when the connection broke during COMMIT
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
