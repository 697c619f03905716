package io.asyncsql.core.tx;

import java.util.Map;

import io.asyncsql.core.pool.SharedPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.connection.ConnectionHolder;
import org.springframework.transaction.reactive.TransactionContext;
import org.springframework.transaction.reactive.TransactionContextManager;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * One transaction, whoever opened it. Finds the transaction a call should join in the Reactor context: a
 * {@link NodeTransaction} published by {@code inTransaction} (or {@link NodeTransaction#within}) for the same pool,
 * or a Spring-managed transaction ({@code R2dbcTransactionManager}, {@code TransactionalOperator}, reactive
 * {@code @Transactional}) bound to the pool. And publishes a node's own transaction both ways: to node calls under
 * the pool's key, and to Spring's reactive transaction synchronization as a {@link ConnectionHolder} bound to the
 * pool, which is where {@code DatabaseClient} (and so Spring Data repositories) and {@code R2dbcTransactionManager}
 * look for the connection of the current transaction.
 */
public final class ActiveTransactions {

	// Spring's stack of transaction contexts; package-private in spring-tx, so it can only be named here
	private static final String CONTEXT_HOLDER = "org.springframework.transaction.reactive.TransactionContextHolder";

	private ActiveTransactions() {
	}

	/**
	 * The connection of the transaction active for a pool.
	 * @param context the subscriber's context
	 * @param pool the node's pool
	 * @return the connection, or {@code null} when no transaction is active for the pool
	 * @throws io.asyncsql.core.TransactionStateException when the published transaction has already ended
	 */
	public static @Nullable Connection connection(ContextView context, SharedPool pool) {
		NodeTransaction own = context.getOrDefault(pool.transactionKey(), null);
		if (own != null) {
			return own.connectionForJoin();
		}
		// cheap check first: Spring's reactive transactions always put a TransactionContext into the context
		if (context.hasKey(TransactionContext.class)) {
			Map<Object, Object> resources = context.get(TransactionContext.class).getResources();
			for (ConnectionFactory factory : pool.transactionResources()) {
				if (resources.get(factory) instanceof ConnectionHolder holder) {
					return holder.getConnection();
				}
			}
		}
		return null;
	}

	/**
	 * Runs a callback once the Spring-managed transaction of a context has ended (committed or rolled back).
	 * @param context the subscriber's context
	 * @param callback what to run, exactly once when this returns {@code true}
	 * @return whether a Spring transaction with synchronization active took the callback; {@code false} when
	 * there is none and the callback will not run
	 */
	public static boolean afterSpringCompletion(ContextView context, Runnable callback) {
		if (!context.hasKey(TransactionContext.class)) {
			return false;
		}
		TransactionSynchronizationManager synchronization = new TransactionSynchronizationManager(
				context.get(TransactionContext.class));
		if (!synchronization.isSynchronizationActive()) {
			return false;
		}
		synchronization.registerSynchronization(new TransactionSynchronization() {
			@Override
			public Mono<Void> afterCompletion(int status) {
				return Mono.fromRunnable(callback);
			}
		});
		return true;
	}

	/**
	 * Publishes a node's own transaction to everything that runs inside it: node calls, and Spring's transaction
	 * synchronization, in a transaction context of its own (resources bound by an enclosing Spring transaction on
	 * other connection factories stay visible in it).
	 * @param context the context to extend
	 * @param pool the transaction's pool
	 * @param transaction the transaction
	 * @return the extended context
	 */
	public static Context publish(Context context, SharedPool pool, NodeTransaction transaction) {
		Map<Object, Object> enclosing = context.hasKey(TransactionContext.class)
				? context.get(TransactionContext.class).getResources() : Map.of();
		Context fresh = context.delete(TransactionContext.class);
		for (Object key : context.stream().map(Map.Entry::getKey).toList()) {
			if (key instanceof Class<?> type && type.getName().equals(CONTEXT_HOLDER)) {
				fresh = fresh.delete(key);
			}
		}
		// a new holder with one context: a nested @Transactional or TransactionalOperator finds this context (and
		// joins the transaction) instead of starting one of its own
		fresh = TransactionContextManager.getOrCreateContext()
			.apply(TransactionContextManager.getOrCreateContextHolder().apply(fresh));
		TransactionSynchronizationManager synchronization = new TransactionSynchronizationManager(
				fresh.get(TransactionContext.class));
		enclosing.forEach(synchronization::bindResource);
		for (ConnectionFactory factory : pool.transactionResources()) {
			synchronization.unbindResourceIfPossible(factory);
			synchronization.bindResource(factory, transaction.springHolder());
		}
		return fresh.put(pool.transactionKey(), transaction);
	}

}
