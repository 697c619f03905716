package io.asyncsql.core;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The statement operations shared by {@link AsyncSqlNode} and {@link SqlTransaction}.
 * <p>
 * Every method checks its arguments when called: {@code null} SQL or parameters, and {@link FetchMode#MANY}
 * without a fetch size, throw at once. Everything else is reported through the returned publisher:
 * {@link QueryValidationException} and {@link ParameterBindingException} before any round trip,
 * {@link QueryTimeoutException}, {@link UniqueViolationException}, {@link IntegrityViolationException},
 * {@link InvalidStatementException}, {@link TransactionConflictException}, {@link SqlExecutionException},
 * {@link RetryExhaustedException}, {@link CommitOutcomeUnknownException}, {@link PoolExhaustedException} and
 * {@link ConnectionFailureException} after: each a Spring {@code DataAccessException} with Spring's meaning, and
 * an {@link AsyncSqlException}. Nothing happens until the publisher is subscribed.
 */
public interface SqlOperations {

	/**
	 * Runs a statement without parameters, fetching all rows.
	 * @param sql the SQL text
	 * @return the result
	 */
	default Mono<QueryResult> execute(String sql) {
		return execute(Query.of(sql));
	}

	/**
	 * Runs a statement with named parameters ({@code :name}), fetching all rows.
	 * @param sql the SQL text
	 * @param params values by name; every {@code :name} needs one and every entry must be used
	 * @return the result
	 */
	default Mono<QueryResult> execute(String sql, Map<String, ?> params) {
		return execute(Query.of(sql).params(params));
	}

	/**
	 * Runs a statement with named parameters and a fetch mode.
	 * @param sql the SQL text
	 * @param params values by name
	 * @param fetchMode how many rows to materialize; {@link FetchMode#MANY} needs {@link Query#fetchSize(int)},
	 * so use {@link #execute(Query)} for it
	 * @return the result
	 * @throws IllegalArgumentException for {@link FetchMode#MANY}, which needs a fetch size
	 */
	default Mono<QueryResult> execute(String sql, Map<String, ?> params, FetchMode fetchMode) {
		return execute(Query.of(sql).params(params).fetchMode(fetchMode));
	}

	/**
	 * Runs a statement with positional parameters ({@code $1..$n}, or {@code ?} where the dialect uses it).
	 * @param sql the SQL text
	 * @param params values in order
	 * @return the result
	 */
	default Mono<QueryResult> execute(String sql, List<?> params) {
		return execute(Query.of(sql).positional(params));
	}

	/**
	 * Runs a query with all its options.
	 * @param query the query
	 * @return the result
	 * @throws IllegalArgumentException for {@link FetchMode#MANY} without a fetch size
	 */
	Mono<QueryResult> execute(Query query);

	/**
	 * Streams the rows of a query with backpressure: rows are fetched from the server in chunks as the subscriber
	 * requests them, and cancelling the subscription releases the connection.
	 * @param sql the SQL text
	 * @param params values by name
	 * @return the rows
	 */
	default Flux<Map<String, @Nullable Object>> stream(String sql, Map<String, ?> params) {
		return stream(Query.of(sql).params(params));
	}

	/**
	 * Streams the rows of a query; {@link Query#fetchSize(int)} sets the rows per round trip (default 256).
	 * <p>
	 * The timeout ({@link Query#timeout(java.time.Duration)}, else the node's) bounds each round trip on the server;
	 * the client gives up on a stream whose first row (or end) has not come shortly after it, sending the server a
	 * cancel request. Only getting the connection is retried: rows once emitted cannot be taken back. The call is
	 * timed and observed like any other, from subscription to its last row.
	 * @param query the query
	 * @return the rows; a failure ends them with one of the exceptions listed on this interface
	 */
	Flux<Map<String, @Nullable Object>> stream(Query query);

	/**
	 * Runs one statement once per parameter set on a single prepared statement. In {@link TransactionMode#AUTO}
	 * the whole batch is one transaction: all sets apply or none.
	 * @param sql the SQL text with named parameters
	 * @param paramSets one map per execution; each must name exactly the statement's parameters
	 * @return the database's total of affected rows and the number of sets. The node's timeout bounds the whole
	 * batch. A batch in one transaction is retried as a whole on transient failures; an autocommit batch only
	 * until its first set was sent, since later sets may follow commits
	 * @throws NullPointerException when {@code sql} or {@code paramSets} is {@code null}
	 */
	Mono<BatchResult> executeMany(String sql, List<? extends Map<String, ?>> paramSets);

}
