package io.asyncsql.core.tx;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.BatchResult;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionStateException;
import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The view {@code inTransaction} gives its work when a transaction is already active for the pool: statements run
 * in that outer transaction, which alone decides commit or rollback.
 */
public final class JoinedTransaction implements SqlTransaction {

	private final String node;

	private final ConnectionBoundOperations operations;

	private final Connection connection;

	/**
	 * Creates the view.
	 * @param node the node name
	 * @param operations runs statements on the connection
	 * @param connection the outer transaction's connection
	 */
	public JoinedTransaction(String node, ConnectionBoundOperations operations, Connection connection) {
		this.node = node;
		this.operations = operations;
		this.connection = connection;
	}

	@Override
	public Mono<QueryResult> execute(Query query) {
		return this.operations.execute(this.connection, query);
	}

	@Override
	public Flux<Map<String, @Nullable Object>> stream(Query query) {
		return this.operations.stream(this.connection, query);
	}

	@Override
	public Mono<BatchResult> executeMany(String sql, List<? extends Map<String, ?>> paramSets) {
		return this.operations.executeMany(this.connection, sql, paramSets);
	}

	@Override
	public <T> Flux<T> within(Publisher<T> work) {
		// subscribed inside the outer transaction's block, whose context already carries it
		return Flux.from(work);
	}

	@Override
	public Mono<Void> commit() {
		return Mono.error(outer("commit"));
	}

	@Override
	public Mono<Void> rollback() {
		return Mono.error(outer("roll back"));
	}

	@Override
	public boolean isActive() {
		return true;
	}

	private TransactionStateException outer(String action) {
		return new TransactionStateException("Node '" + this.node + "': cannot " + action + " here: the work joined an "
				+ "outer transaction, which commits or rolls back; fail the work to roll it back", this.node);
	}

}
