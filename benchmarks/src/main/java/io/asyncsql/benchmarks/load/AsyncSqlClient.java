package io.asyncsql.benchmarks.load;

import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.Query;

/**
 * An {@link AsyncSqlNode} as users run it: AUTO transaction mode, validation on, named parameters, rows as maps.
 */
final class AsyncSqlClient extends AsyncClient {

	private final AsyncSqlNode node;

	private final BenchSchema schema;

	private final String pointSelect;

	private final String update;

	private final String debit;

	private final String credit;

	private final String log;

	private final String range;

	AsyncSqlClient(Target target, BenchSchema schema, int poolSize) {
		this.node = AsyncSqlNode.builder(R2dbcSettings.node("bench-asyncsql", target, poolSize)).build();
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
		return "asyncsql";
	}

	@Override
	AsyncOperation operation(Workload workload) {
		return switch (workload) {
			case POINT_SELECT -> AsyncOperation.of(() -> {
				long id = this.schema.randomAccountId();
				return this.node.execute(Query.of(this.pointSelect).param("id", id).fetchMode(FetchMode.ONE))
					.doOnNext(result -> {
						Map<String, Object> row = result.one();
						WrongResultException.check(row != null && row.get("id") instanceof Long found && found == id,
						() -> "point select returned " + row);
					});
			});
			case UPDATE -> AsyncOperation.of(() -> {
				long id = this.schema.randomCounterId();
				return this.node.execute(this.update, Map.of("id", id))
					.doOnNext(result -> WrongResultException.check(result.rowCount() == 1,
						() -> "update changed " + result.rowCount() + " rows"));
			});
			case TRANSFER -> AsyncOperation.of(() -> {
				long[] transfer = this.schema.randomTransfer();
				return this.node.inTransaction(tx -> tx.execute(this.debit, Map.of("amount", transfer[2], "id", transfer[0]))
					.then(tx.execute(this.credit, Map.of("amount", transfer[2], "id", transfer[1])))
					.then(tx.execute(this.log, Map.of("from", transfer[0], "to", transfer[1], "amount", transfer[2]))))
					.then();
			});
			case SELECT_100 -> AsyncOperation.of(() -> {
				long start = this.schema.randomRangeStart();
				return this.node.execute(this.range, Map.of("first", start, "last", start + 99))
					.doOnNext(result -> WrongResultException.check(result.rows().size() == 100
							&& Long.valueOf(start).equals(result.rows().get(0).get("id")),
						() -> "100-row select returned " + result.rows().size() + " rows"));
			});
		};
	}

	/** @return the node, for the hot-row comparison */
	AsyncSqlNode node() {
		return this.node;
	}

	@Override
	public void close() {
		this.node.close();
	}

}
