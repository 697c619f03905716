package io.asyncsql.benchmarks.load;

import io.asyncsql.core.pool.ConnectionPools;
import io.r2dbc.pool.ConnectionPool;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Spring's {@link DatabaseClient} with named parameters, on an r2dbc-pool configured like the node's; the
 * transfer runs under a {@link TransactionalOperator} over an {@link R2dbcTransactionManager}, as a Spring
 * application would write it.
 */
final class SpringDatabaseClient extends AsyncClient {

	private final ConnectionPools pools = new ConnectionPools();

	private final DatabaseClient client;

	private final TransactionalOperator transactions;

	private final BenchSchema schema;

	private final String pointSelect;

	private final String update;

	private final String debit;

	private final String credit;

	private final String log;

	private final String range;

	SpringDatabaseClient(Target target, BenchSchema schema, int poolSize) {
		ConnectionPool pool = R2dbcSettings.pool(this.pools, "bench-databaseclient", target, poolSize);
		this.client = DatabaseClient.create(pool);
		this.transactions = TransactionalOperator.create(new R2dbcTransactionManager(pool));
		this.schema = schema;
		this.pointSelect = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts") + " WHERE id = :id";
		this.update = "UPDATE " + schema.table("counters") + " SET n = n + 1 WHERE id = :id";
		this.debit = "UPDATE " + schema.table("wallets") + " SET balance = balance - :amount WHERE id = :id";
		this.credit = "UPDATE " + schema.table("wallets") + " SET balance = balance + :amount WHERE id = :id";
		this.log = "INSERT INTO " + schema.table("transfers") + " (from_id, to_id, amount) VALUES (:from, :to, :amount)";
		this.range = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts")
				+ " WHERE id BETWEEN :first AND :last ORDER BY id";
	}

	@Override
	public String name() {
		return "databaseclient";
	}

	@Override
	AsyncOperation operation(Workload workload) {
		return switch (workload) {
			case POINT_SELECT -> AsyncOperation.of(() -> {
				long id = this.schema.randomAccountId();
				return this.client.sql(this.pointSelect).bind("id", id).map(Account::of).one()
					.doOnNext(account -> WrongResultException.check(account.id() == id,
						() -> "point select returned " + account))
					.switchIfEmpty(Mono.error(() -> new WrongResultException("point select found no row " + id)));
			});
			case UPDATE -> AsyncOperation.of(() -> {
				long id = this.schema.randomCounterId();
				return this.client.sql(this.update).bind("id", id).fetch().rowsUpdated()
					.doOnNext(count -> WrongResultException.check(count == 1,
						() -> "update changed " + count + " rows"));
			});
			case TRANSFER -> AsyncOperation.of(() -> {
				long[] transfer = this.schema.randomTransfer();
				return this.client.sql(this.debit).bind("amount", transfer[2]).bind("id", transfer[0]).fetch().rowsUpdated()
					.then(this.client.sql(this.credit).bind("amount", transfer[2]).bind("id", transfer[1]).fetch().rowsUpdated())
					.then(this.client.sql(this.log).bind("from", transfer[0]).bind("to", transfer[1])
						.bind("amount", transfer[2]).fetch().rowsUpdated())
					.as(this.transactions::transactional);
			});
			case SELECT_100 -> AsyncOperation.of(() -> {
				long start = this.schema.randomRangeStart();
				return this.client.sql(this.range).bind("first", start).bind("last", start + 99).map(Account::of).all()
					.collectList()
					.doOnNext(rows -> WrongResultException.check(rows.size() == 100 && rows.get(0).id() == start,
						() -> "100-row select returned " + rows.size() + " rows"));
			});
		};
	}

	@Override
	public void close() {
		this.pools.close();
	}

}
