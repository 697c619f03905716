package io.asyncsql.benchmarks.load;

import io.asyncsql.core.pool.ConnectionPools;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * r2dbc-pool and r2dbc-postgresql used by hand, the way a careful application would: the floor the node's
 * overhead is measured against.
 */
final class R2dbcRawClient extends AsyncClient {

	private final ConnectionPools pools = new ConnectionPools();

	private final ConnectionPool pool;

	private final BenchSchema schema;

	private final String pointSelect;

	private final String update;

	private final String debit;

	private final String credit;

	private final String log;

	private final String range;

	R2dbcRawClient(Target target, BenchSchema schema, int poolSize) {
		this.pool = R2dbcSettings.pool(this.pools, "bench-r2dbc-raw", target, poolSize);
		this.schema = schema;
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
		return "r2dbc-raw";
	}

	@Override
	AsyncOperation operation(Workload workload) {
		return switch (workload) {
			case POINT_SELECT -> AsyncOperation.of(() -> {
				long id = this.schema.randomAccountId();
				return Mono.usingWhen(this.pool.create(), c -> Flux.from(c.createStatement(this.pointSelect)
					.bind(0, id)
					.execute()).flatMap(result -> result.map(Account::of)).collectList(), Connection::close)
					.doOnNext(rows -> WrongResultException.check(rows.size() == 1 && rows.get(0).id() == id,
						() -> "point select returned " + rows));
			});
			case UPDATE -> AsyncOperation.of(() -> {
				long id = this.schema.randomCounterId();
				return Mono.usingWhen(this.pool.create(), c -> rowsUpdated(c.createStatement(this.update).bind(0, id)),
						Connection::close)
					.doOnNext(count -> WrongResultException.check(count == 1,
						() -> "update changed " + count + " rows"));
			});
			case TRANSFER -> AsyncOperation.of(() -> {
				long[] transfer = this.schema.randomTransfer();
				return Mono.usingWhen(this.pool.create(), c -> Mono.from(c.beginTransaction())
					.then(rowsUpdated(c.createStatement(this.debit).bind(0, transfer[2]).bind(1, transfer[0])))
					.then(rowsUpdated(c.createStatement(this.credit).bind(0, transfer[2]).bind(1, transfer[1])))
					.then(rowsUpdated(c.createStatement(this.log).bind(0, transfer[0]).bind(1, transfer[1])
						.bind(2, transfer[2])))
					.then(Mono.from(c.commitTransaction())), Connection::close,
						(c, error) -> Mono.from(c.rollbackTransaction()).onErrorResume(ignored -> Mono.empty())
							.then(Mono.from(c.close())),
						Connection::close);
			});
			case SELECT_100 -> AsyncOperation.of(() -> {
				long start = this.schema.randomRangeStart();
				return Mono.usingWhen(this.pool.create(), c -> Flux.from(c.createStatement(this.range)
					.bind(0, start)
					.bind(1, start + 99)
					.execute()).flatMap(result -> result.map(Account::of)).collectList(), Connection::close)
					.doOnNext(rows -> WrongResultException.check(rows.size() == 100 && rows.get(0).id() == start,
						() -> "100-row select returned " + rows.size() + " rows"));
			});
		};
	}

	private static Mono<Long> rowsUpdated(io.r2dbc.spi.Statement statement) {
		return Flux.from(statement.execute()).flatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
	}

	@Override
	public void close() {
		this.pools.close();
	}

}
