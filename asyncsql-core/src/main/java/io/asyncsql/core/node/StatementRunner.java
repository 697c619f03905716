package io.asyncsql.core.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.result.ResultCollector;
import io.asyncsql.core.result.RowMapper;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.core.sql.NullBind;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends bound statements on a connection and reads their results. Knows nothing of pools, transactions, retries
 * or timeouts; those wrap around it.
 */
final class StatementRunner {

	private final String node;

	private final Dialect dialect;

	StatementRunner(String node, Dialect dialect) {
		this.node = node;
		this.dialect = dialect;
	}

	Mono<QueryResult> query(Connection connection, PreparedCall call) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			ResultCollector collector = new ResultCollector(this.dialect, call.kind(), call.fetchMode(), call.fetchSize());
			return Flux.from(statement(connection, call.bound()).execute())
				.concatMap(result -> result.flatMap(collector))
				.next()
				.then(Mono.fromSupplier(() -> collector.toResult(call.sql(), this.dialect,
						Duration.ofNanos(System.nanoTime() - start))));
		});
	}

	Flux<Map<String, @Nullable Object>> stream(Connection connection, PreparedCall call, int fetchSize) {
		return Flux.defer(() -> {
			RowMapper mapper = new RowMapper(this.dialect);
			Statement statement = statement(connection, call.bound()).fetchSize(fetchSize);
			return Flux.from(statement.execute()).concatMap(result -> result.flatMap(segment -> {
				if (segment instanceof Result.RowSegment row) {
					return Mono.just(mapper.map(row.row()));
				}
				if (segment instanceof Result.Message message && this.dialect.isFailure(message)) {
					return Mono.error(message.exception());
				}
				return Mono.empty();
			}))
				// keep demand on the driver ahead of the subscriber by up to one fetch: a cursor that ends exactly at
				// a fetch boundary only reports its end on the next fetch, which the driver makes on demand alone
				.limitRate(fetchSize);
		});
	}

	Mono<Long> batch(Connection connection, List<BoundStatement> sets) {
		if (sets.size() > 1 && sets.get(0).values().length == 0) {
			// a statement without parameters has no bindings to add(): drivers refuse an empty binding, so run it
			// once per set, in order, on the same connection
			return Flux.fromIterable(sets)
				.concatMap(set -> Flux.from(statement(connection, set).execute()).concatMap(Result::getRowsUpdated))
				.reduce(0L, Long::sum);
		}
		return Mono.defer(() -> {
			Statement statement = connection.createStatement(sets.get(0).sql());
			for (int i = 0; i < sets.size(); i++) {
				if (i > 0) {
					statement.add();
				}
				bind(statement, sets.get(i));
			}
			return Flux.from(statement.execute())
				.concatMap(Result::getRowsUpdated)
				.reduce(0L, Long::sum);
		});
	}

	private Statement statement(Connection connection, BoundStatement bound) {
		Statement statement = connection.createStatement(bound.sql());
		bind(statement, bound);
		return statement;
	}

	private void bind(Statement statement, BoundStatement bound) {
		Object[] values = bound.values();
		for (int i = 0; i < values.length; i++) {
			Object value = values[i];
			try {
				if (value instanceof NullBind nullBind) {
					statement.bindNull(i, nullBind.type());
				}
				else {
					statement.bind(i, value);
				}
			}
			catch (RuntimeException ex) {
				// drivers encode some values when bound (H2 refuses a Duration beyond its interval range here); the
				// driver's message may quote the value, so only its type and the failure's type are named
				String type = (value != null) ? value.getClass().getName() : "null";
				throw new ParameterBindingException("Cannot bind parameter " + bound.parameterLabel(i) + " on node '"
						+ this.node + "': the driver refused a " + type + " (" + ex.getClass().getName() + ")", this.node,
						bound.parameterLabel(i), ex);
			}
		}
	}

}
