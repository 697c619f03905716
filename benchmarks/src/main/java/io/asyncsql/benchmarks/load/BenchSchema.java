package io.asyncsql.benchmarks.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The harness's own schema: created and filled at the start, checked after every run, dropped at the end. Holds
 * the tables of every workload and the hot row, and hands out random keys that are known to exist.
 * <p>
 * Filling uses {@code INSERT ... SELECT generate_series}, with the primary key added afterwards, so a million rows
 * take seconds, not minutes.
 */
final class BenchSchema implements AutoCloseable {

	/** Rows of the update and transfer tables: enough that concurrent callers rarely meet on a row. */
	static final int SMALL_TABLE_ROWS = 10_000;

	/** Starting balance of every wallet. */
	static final long WALLET_BALANCE = 1_000_000;

	private final String name;

	private final int rows;

	private final Connection admin;

	private boolean dropped;

	private BenchSchema(String name, int rows, Connection admin) {
		this.name = name;
		this.rows = rows;
		this.admin = admin;
	}

	/**
	 * Creates and fills the schema.
	 * @param target the server
	 * @param rows rows of the point-select table
	 * @return the schema
	 * @throws SQLException when the server refuses
	 */
	static BenchSchema create(Target target, int rows) throws SQLException {
		Properties properties = new Properties();
		properties.setProperty("user", target.user());
		if (!target.password().isEmpty()) {
			properties.setProperty("password", target.password());
		}
		properties.setProperty("ApplicationName", "asyncsql-bench-setup");
		Connection admin = DriverManager.getConnection(target.jdbcUrl(), properties);
		String name = "asyncsql_bench_" + ProcessHandle.current().pid();
		BenchSchema schema = new BenchSchema(name, rows, admin);
		try (Statement statement = admin.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
			statement.execute("CREATE SCHEMA " + name);
			statement.execute("CREATE TABLE " + schema.table("accounts") + " (id bigint NOT NULL, name text NOT NULL, "
					+ "balance bigint NOT NULL, updated_at timestamptz NOT NULL)");
			statement.execute("INSERT INTO " + schema.table("accounts") + " SELECT g, 'account-' || g, 1000 + g % 1000, "
					+ "timestamptz '2025-01-01 00:00:00+00' + g * interval '1 second' FROM generate_series(1, " + rows
					+ ") g");
			statement.execute("ALTER TABLE " + schema.table("accounts") + " ADD PRIMARY KEY (id)");
			statement.execute("CREATE TABLE " + schema.table("counters") + " (id bigint PRIMARY KEY, n bigint NOT NULL)");
			statement.execute("INSERT INTO " + schema.table("counters") + " SELECT g, 0 FROM generate_series(1, "
					+ SMALL_TABLE_ROWS + ") g");
			statement.execute("CREATE TABLE " + schema.table("wallets") + " (id bigint PRIMARY KEY, balance bigint NOT NULL)");
			statement.execute("INSERT INTO " + schema.table("wallets") + " SELECT g, " + WALLET_BALANCE
					+ " FROM generate_series(1, " + SMALL_TABLE_ROWS + ") g");
			statement.execute("CREATE TABLE " + schema.table("transfers") + " (id bigserial PRIMARY KEY, "
					+ "from_id bigint NOT NULL, to_id bigint NOT NULL, amount bigint NOT NULL, "
					+ "created_at timestamptz NOT NULL DEFAULT now())");
			statement.execute("CREATE TABLE " + schema.table("hot_counter") + " (id bigint PRIMARY KEY, "
					+ "balance bigint NOT NULL, version bigint NOT NULL)");
			statement.execute("INSERT INTO " + schema.table("hot_counter") + " VALUES (1, 0, 0)");
			statement.execute("ANALYZE " + schema.table("accounts") + ", " + schema.table("counters") + ", "
					+ schema.table("wallets"));
		}
		catch (SQLException | RuntimeException ex) {
			schema.close();
			throw ex;
		}
		return schema;
	}

	/** @return the schema name */
	String name() {
		return this.name;
	}

	/**
	 * A table of the schema, qualified.
	 * @param table the table
	 * @return {@code schema.table}
	 */
	String table(String table) {
		return this.name + "." + table;
	}

	/** @return rows of the point-select table */
	int rows() {
		return this.rows;
	}

	/** @return an existing account id */
	long randomAccountId() {
		return ThreadLocalRandom.current().nextLong(1, this.rows + 1);
	}

	/** @return the first id of a run of 100 existing account ids */
	long randomRangeStart() {
		return ThreadLocalRandom.current().nextLong(1, this.rows - 98);
	}

	/** @return an existing counter id */
	long randomCounterId() {
		return ThreadLocalRandom.current().nextLong(1, SMALL_TABLE_ROWS + 1);
	}

	/**
	 * Two distinct wallets, the lower id first: every transfer locks its rows in id order, so concurrent transfers
	 * never deadlock and no client needs a retry to stay correct.
	 * @return {@code {from, to, amount}}
	 */
	long[] randomTransfer() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long a = random.nextLong(1, SMALL_TABLE_ROWS + 1);
		long b = random.nextLong(1, SMALL_TABLE_ROWS);
		if (b >= a) {
			b++;
		}
		return new long[] { Math.min(a, b), Math.max(a, b), random.nextLong(1, 101) };
	}

	/**
	 * Reads the figures the correctness checks compare.
	 * @return the figures now
	 * @throws SQLException when the read fails
	 */
	Snapshot snapshot() throws SQLException {
		try (Statement statement = this.admin.createStatement();
				ResultSet result = statement.executeQuery("SELECT (SELECT sum(n) FROM " + table("counters") + "), "
						+ "(SELECT sum(balance) FROM " + table("wallets") + "), (SELECT count(*) FROM "
						+ table("transfers") + "), (SELECT balance FROM " + table("hot_counter") + " WHERE id = 1)")) {
			result.next();
			return new Snapshot(result.getLong(1), result.getLong(2), result.getLong(3), result.getLong(4));
		}
	}

	/**
	 * Counts the server connections the harness may still open without taking the last ones from others.
	 * @return {@code max_connections} minus the connections in use minus the reserved ones
	 * @throws SQLException when the read fails
	 */
	int freeConnections() throws SQLException {
		try (Statement statement = this.admin.createStatement();
				ResultSet result = statement.executeQuery("SELECT current_setting('max_connections')::int "
						+ "- current_setting('superuser_reserved_connections')::int - (SELECT count(*) FROM pg_stat_activity)")) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * The server's version string.
	 * @return {@code SELECT version()}
	 * @throws SQLException when the read fails
	 */
	String serverVersion() throws SQLException {
		try (Statement statement = this.admin.createStatement();
				ResultSet result = statement.executeQuery("SHOW server_version")) {
			result.next();
			return result.getString(1);
		}
	}

	/** Drops the schema and closes the setup connection. Idempotent. */
	@Override
	public synchronized void close() {
		if (this.dropped) {
			return;
		}
		this.dropped = true;
		try (Statement statement = this.admin.createStatement()) {
			statement.execute("DROP SCHEMA IF EXISTS " + this.name + " CASCADE");
		}
		catch (SQLException ex) {
			System.err.println("Could not drop schema " + this.name + ": " + ex.getMessage());
		}
		closeConnection();
	}

	/** Closes the setup connection and leaves the schema in place. */
	synchronized void keep() {
		this.dropped = true;
		closeConnection();
	}

	private void closeConnection() {
		try {
			this.admin.close();
		}
		catch (SQLException ex) {
			// nothing left to do with it
		}
	}

	/**
	 * The figures a correct client keeps consistent.
	 *
	 * @param counterSum sum of all counters: grows by one per successful update
	 * @param walletSum sum of all wallet balances: never changes
	 * @param transferCount rows of the transfer log: one per successful transfer
	 * @param hotBalance the hot row's balance: grows by one per successful increment
	 */
	record Snapshot(long counterSum, long walletSum, long transferCount, long hotBalance) {
	}

}
