package io.asyncsql.benchmarks.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * pgjdbc on HikariCP, one thread per concurrent caller: platform threads, or virtual threads on Java 21+ (reached
 * reflectively, since the harness is compiled for Java 17). Platform threads are kept for the whole run so the
 * allocation figure sees them.
 */
final class JdbcHikariClient implements BenchmarkClient {

	private final HikariDataSource dataSource;

	private final BenchSchema schema;

	private final boolean virtualThreads;

	private final ExecutorService threads;

	private final String pointSelect;

	private final String update;

	private final String debit;

	private final String credit;

	private final String log;

	private final String range;

	JdbcHikariClient(Target target, BenchSchema schema, int poolSize, boolean virtualThreads) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(target.jdbcUrl());
		config.setUsername(target.user());
		if (!target.password().isEmpty()) {
			config.setPassword(target.password());
		}
		config.setMaximumPoolSize(poolSize);
		config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
		config.setPoolName(virtualThreads ? "bench-jdbc-virtual" : "bench-jdbc");
		config.addDataSourceProperty("ApplicationName", "asyncsql-bench-jdbc" + (virtualThreads ? "-virtual" : ""));
		this.dataSource = new HikariDataSource(config);
		this.schema = schema;
		this.virtualThreads = virtualThreads;
		this.threads = virtualThreads ? virtualThreadPerTask() : Executors.newCachedThreadPool(platformThreads());
		this.pointSelect = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts") + " WHERE id = ?";
		this.update = "UPDATE " + schema.table("counters") + " SET n = n + 1 WHERE id = ?";
		this.debit = "UPDATE " + schema.table("wallets") + " SET balance = balance - ? WHERE id = ?";
		this.credit = "UPDATE " + schema.table("wallets") + " SET balance = balance + ? WHERE id = ?";
		this.log = "INSERT INTO " + schema.table("transfers") + " (from_id, to_id, amount) VALUES (?, ?, ?)";
		this.range = "SELECT id, name, balance, updated_at FROM " + schema.table("accounts")
				+ " WHERE id BETWEEN ? AND ? ORDER BY id";
	}

	@Override
	public String name() {
		return this.virtualThreads ? "jdbc-hikari-virtual" : "jdbc-hikari";
	}

	@Override
	public LoopOutcome run(Workload workload, int concurrency, Duration duration) {
		BlockingOperation operation = switch (workload) {
			case POINT_SELECT -> this::pointSelect;
			case UPDATE -> this::update;
			case TRANSFER -> this::transfer;
			case SELECT_100 -> this::select100;
		};
		return ClosedLoop.blocking(operation, concurrency, duration, this.threads);
	}

	private void pointSelect() throws SQLException {
		long id = this.schema.randomAccountId();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(this.pointSelect)) {
			statement.setLong(1, id);
			try (ResultSet rows = statement.executeQuery()) {
				WrongResultException.check(rows.next(),
						() -> "point select found no row " + id);
				Account account = account(rows);
				WrongResultException.check(account.id() == id && !rows.next(),
						() -> "point select returned " + account);
			}
		}
	}

	private void update() throws SQLException {
		long id = this.schema.randomCounterId();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(this.update)) {
			statement.setLong(1, id);
			int count = statement.executeUpdate();
			WrongResultException.check(count == 1,
						() -> "update changed " + count + " rows");
		}
	}

	private void transfer() throws SQLException {
		long[] transfer = this.schema.randomTransfer();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				try (PreparedStatement debit = connection.prepareStatement(this.debit)) {
					debit.setLong(1, transfer[2]);
					debit.setLong(2, transfer[0]);
					debit.executeUpdate();
				}
				try (PreparedStatement credit = connection.prepareStatement(this.credit)) {
					credit.setLong(1, transfer[2]);
					credit.setLong(2, transfer[1]);
					credit.executeUpdate();
				}
				try (PreparedStatement log = connection.prepareStatement(this.log)) {
					log.setLong(1, transfer[0]);
					log.setLong(2, transfer[1]);
					log.setLong(3, transfer[2]);
					log.executeUpdate();
				}
				connection.commit();
			}
			catch (SQLException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
		}
	}

	private void select100() throws SQLException {
		long start = this.schema.randomRangeStart();
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(this.range)) {
			statement.setLong(1, start);
			statement.setLong(2, start + 99);
			int count = 0;
			long first = -1;
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					Account account = account(rows);
					if (count++ == 0) {
						first = account.id();
					}
				}
			}
			int found = count;
			WrongResultException.check(found == 100 && first == start, () -> "100-row select returned " + found + " rows");
		}
	}

	private static Account account(ResultSet rows) throws SQLException {
		return new Account(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getObject(4, OffsetDateTime.class));
	}

	private static ThreadFactory platformThreads() {
		AtomicInteger count = new AtomicInteger();
		return task -> {
			Thread thread = new Thread(task, "bench-jdbc-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	// Executors.newVirtualThreadPerTaskExecutor() exists from Java 21; the harness is compiled for 17
	private static ExecutorService virtualThreadPerTask() {
		try {
			return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("jdbc-hikari-virtual needs Java 21 or later (running "
					+ Runtime.version().feature() + ")", ex);
		}
	}

	@Override
	public void close() {
		this.threads.shutdown();
		try {
			this.threads.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.dataSource.close();
	}

}
