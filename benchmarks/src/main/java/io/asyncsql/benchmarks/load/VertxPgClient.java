package io.asyncsql.benchmarks.load;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The Vert.x reactive PostgreSQL client with a pool of the same size and cached prepared statements. Pipelining is
 * off (limit 1) unless asked for, so each connection has one statement in flight like every other client.
 */
final class VertxPgClient extends AsyncClient {

	private final Vertx vertx;

	private final Pool pool;

	private final BenchSchema schema;

	private final int pipelining;

	private final String pointSelect;

	private final String update;

	private final String debit;

	private final String credit;

	private final String log;

	private final String range;

	VertxPgClient(Target target, BenchSchema schema, int poolSize, int pipelining) {
		this.vertx = Vertx.vertx();
		PgConnectOptions connect = new PgConnectOptions().setHost(target.host())
			.setPort(target.port())
			.setDatabase(target.database())
			.setUser(target.user())
			.setCachePreparedStatements(true)
			.setPreparedStatementCacheMaxSize(256)
			.setPipeliningLimit(pipelining);
		connect.setProperties(Map.of("application_name", "asyncsql-bench-vertx"));
		if (!target.password().isEmpty()) {
			connect.setPassword(target.password());
		}
		this.pool = PgBuilder.pool()
			.with(new PoolOptions().setMaxSize(poolSize).setConnectionTimeout(5).setConnectionTimeoutUnit(TimeUnit.SECONDS))
			.connectingTo(connect)
			.using(this.vertx)
			.build();
		this.schema = schema;
		this.pipelining = pipelining;
		this.pointSelect = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts") + " WHERE id = $1";
		this.update = "UPDATE " + schema.table("counters") + " SET n = n + 1 WHERE id = $1";
		this.debit = "UPDATE " + schema.table("wallets") + " SET balance = balance - $1 WHERE id = $2";
		this.credit = "UPDATE " + schema.table("wallets") + " SET balance = balance + $1 WHERE id = $2";
		this.log = "INSERT INTO " + schema.table("transfers") + " (from_id, to_id, amount) VALUES ($1, $2, $3)";
		this.range = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts")
				+ " WHERE id BETWEEN $1 AND $2 ORDER BY id";
	}

	@Override
	public String name() {
		return (this.pipelining > 1) ? "vertx-pg-pipelined" : "vertx-pg";
	}

	@Override
	AsyncOperation operation(Workload workload) {
		return switch (workload) {
			case POINT_SELECT -> completion -> {
				long id = this.schema.randomAccountId();
				this.pool.preparedQuery(this.pointSelect).execute(Tuple.of(id)).onComplete(result -> {
					if (result.failed()) {
						completion.failed(result.cause());
						return;
					}
					RowSet<Row> rows = result.result();
					Account account = (rows.size() == 1) ? account(rows.iterator().next()) : null;
					if (account != null && account.id() == id) {
						completion.succeeded();
					}
					else {
						completion.failed(new WrongResultException("point select returned " + rows.size() + " rows"));
					}
				});
			};
			case UPDATE -> completion -> {
				long id = this.schema.randomCounterId();
				this.pool.preparedQuery(this.update).execute(Tuple.of(id)).onComplete(result -> {
					if (result.failed()) {
						completion.failed(result.cause());
					}
					else if (result.result().rowCount() != 1) {
						completion.failed(new WrongResultException("update changed " + result.result().rowCount() + " rows"));
					}
					else {
						completion.succeeded();
					}
				});
			};
			case TRANSFER -> completion -> {
				long[] transfer = this.schema.randomTransfer();
				this.pool.withTransaction(connection -> connection.preparedQuery(this.debit)
					.execute(Tuple.of(transfer[2], transfer[0]))
					.compose(ignored -> connection.preparedQuery(this.credit).execute(Tuple.of(transfer[2], transfer[1])))
					.compose(ignored -> connection.preparedQuery(this.log)
						.execute(Tuple.of(transfer[0], transfer[1], transfer[2])))
					.compose(ignored -> Future.succeededFuture())).onComplete(result -> complete(completion, result.cause()));
			};
			case SELECT_100 -> completion -> {
				long start = this.schema.randomRangeStart();
				this.pool.preparedQuery(this.range).execute(Tuple.of(start, start + 99)).onComplete(result -> {
					if (result.failed()) {
						completion.failed(result.cause());
						return;
					}
					int count = 0;
					long first = -1;
					for (Row row : result.result()) {
						Account account = account(row);
						if (count++ == 0) {
							first = account.id();
						}
					}
					if (count == 100 && first == start) {
						completion.succeeded();
					}
					else {
						completion.failed(new WrongResultException("100-row select returned " + count + " rows"));
					}
				});
			};
		};
	}

	private static void complete(Completion completion, Throwable failure) {
		if (failure != null) {
			completion.failed(failure);
		}
		else {
			completion.succeeded();
		}
	}

	private static Account account(Row row) {
		return new Account(row.getLong(0), row.getString(1), row.getLong(2), row.getOffsetDateTime(3));
	}

	@Override
	public void close() {
		try {
			this.pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
			this.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			System.err.println("Vert.x did not close cleanly: " + ex);
		}
	}

}
