package io.asyncsql.core.tx;

import io.asyncsql.core.pool.SharedPool;
import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.connection.ConnectionHolder;
import org.springframework.transaction.reactive.TransactionContext;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Finds the transaction a call should join in the Reactor context: a {@link NodeTransaction} published by
 * {@code inTransaction} for the same pool, or a Spring-managed transaction ({@code R2dbcTransactionManager},
 * {@code TransactionalOperator}, reactive {@code @Transactional}) bound to the pool.
 */
public final class ActiveTransactions {

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
			TransactionContext transaction = context.get(TransactionContext.class);
			Object holder = transaction.getResources().get(pool.connectionFactory());
			if (holder instanceof ConnectionHolder connectionHolder) {
				return connectionHolder.getConnection();
			}
		}
		return null;
	}

	/**
	 * Publishes a transaction to the calls made inside it.
	 * @param context the context to extend
	 * @param pool the transaction's pool
	 * @param transaction the transaction
	 * @return the extended context
	 */
	public static Context publish(Context context, SharedPool pool, NodeTransaction transaction) {
		return context.put(pool.transactionKey(), transaction);
	}

}
