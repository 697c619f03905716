package io.asyncsql.core.tx;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.BatchResult;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A node's statement operations on a connection it is given (the connection of a transaction), without retries:
 * validation, binding, timeouts, metrics and error translation still apply. Implemented by the node; used by the
 * transactions it hands out.
 */
public interface ConnectionBoundOperations {

	/**
	 * Runs a query on a connection.
	 * @param connection the transaction's connection
	 * @param query the query
	 * @return the result
	 */
	Mono<QueryResult> execute(Connection connection, Query query);

	/**
	 * Streams a query's rows on a connection.
	 * @param connection the transaction's connection
	 * @param query the query
	 * @return the rows
	 */
	Flux<Map<String, @Nullable Object>> stream(Connection connection, Query query);

	/**
	 * Runs a batch on a connection.
	 * @param connection the transaction's connection
	 * @param sql the statement
	 * @param paramSets one map per execution
	 * @return the totals
	 */
	Mono<BatchResult> executeMany(Connection connection, String sql, List<? extends Map<String, ?>> paramSets);

}
