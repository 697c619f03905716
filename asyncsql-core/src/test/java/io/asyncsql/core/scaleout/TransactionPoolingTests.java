package io.asyncsql.core.scaleout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.Pooler;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.test.PgBouncerSchema;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A node behind a real PgBouncer in {@code pool_mode = transaction} with two server sessions: what breaks with the
 * default settings (and with the driver's defaults), and what {@code pooler: transaction} does instead.
 */
class TransactionPoolingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static PgBouncerSchema schema;

	private static AsyncSqlNode node;

	@BeforeAll
	static void start() {
		schema = PgBouncerSchema.create("pooling", Pooler.TRANSACTION);
		schema.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL)");
		node = AsyncSqlNode.builder(schema.node("pooled").allowAdmin(true).build()).build();
	}

	@AfterAll
	static void stop() {
		if (node != null) {
			node.close();
		}
		if (schema != null) {
			schema.close();
		}
	}

	@Test
	void defaultNodeSettingsAreRefusedByTheProxy() {
		try (AsyncSqlNode plain = AsyncSqlNode.builder(schema.node("plain").pooler(Pooler.NONE)
			.retry(RetryConfig.NONE).sharePool(false).build()).build()) {
			// the node's statement timeout travels as a startup parameter, which PgBouncer does not know
			assertThatThrownBy(() -> plain.execute("SELECT 1").block(WAIT))
				.isInstanceOf(ConnectionFailureException.class)
				.hasMessageContaining("unsupported startup parameter")
				.hasMessageContaining("statement_timeout");
		}
	}

	@Test
	void namedPreparedStatementsOfTheDriverCollideOnSharedSessions() {
		// the driver's own defaults, without the startup parameter PgBouncer refuses: every statement gets a
		// server-side name (S_0, S_1...) per client connection, but the names live on the server session
		ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions
			.parse("r2dbc:postgresql://127.0.0.1:" + schema.bouncer().port() + "/" + schemaDatabase())
			.mutate()
			.option(ConnectionFactoryOptions.USER, "postgres")
			.build());
		Connection first = Mono.from(factory.create()).block(WAIT);
		Connection second = Mono.from(factory.create()).block(WAIT);
		try {
			assertThat(value(first, "SELECT $1::int AS v")).isEqualTo(1);
			// the second client gets the idle server session the first one left, where S_0 already exists
			assertThatThrownBy(() -> value(second, "SELECT $1::int + 1 AS v"))
				.isInstanceOfSatisfying(R2dbcException.class,
						ex -> assertThat(ex.getSqlState()).isIn("42P05", "26000"));
		}
		finally {
			Mono.from(first.close()).block(WAIT);
			Mono.from(second.close()).block(WAIT);
		}
	}

	// server sessions of their own, so what the driver leaves on them stays away from the node's
	private static String schemaDatabase() {
		return PgBouncerSchema.SCRATCH;
	}

	private static Object value(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).bind(0, 1).execute())
			.concatMap(result -> result.map(row -> row.get("v")))
			.blockLast(WAIT);
	}

	@Test
	void unnamedStatementsRunOnWhicheverSessionComesAndLeaveNothingBehind() {
		List<Mono<Object>> calls = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			// distinct statement texts from concurrent connections, interleaved on two server sessions
			String sql = "SELECT :n::int + " + (i % 17) + " AS v";
			int n = i;
			calls.add(node.execute(sql, Map.of("n", n)).map(result -> result.one().get("v")));
		}
		List<Object> values = Flux.merge(calls).collectList().block(WAIT);
		assertThat(values).hasSize(200);
		for (int i = 0; i < 4; i++) {
			assertThat(node.execute("SELECT count(*) AS n FROM pg_prepared_statements").block(WAIT).one())
				.containsEntry("n", 0L);
		}
	}

	@Test
	void sessionSettingsLeakToOtherClientsSoTheNodeNeverMakesThem() {
		String serverDefault = (String) schema.scalar("SHOW statement_timeout");
		ConnectionFactory factory = ConnectionFactories.get(ConnectionFactoryOptions
			.parse("r2dbc:postgresql://postgres@127.0.0.1:" + schema.bouncer().port() + "/" + schemaDatabase())
			.mutate()
			.option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES, 0)
			.build());
		Connection careless = Mono.from(factory.create()).block(WAIT);
		Connection stranger = Mono.from(factory.create()).block(WAIT);
		try {
			Flux.from(careless.createStatement("SET statement_timeout = 1234").execute())
				.concatMap(result -> result.getRowsUpdated())
				.blockLast(WAIT);
			Object seen = Flux.from(stranger.createStatement("SHOW statement_timeout").execute())
				.concatMap(result -> result.map(row -> row.get(0)))
				.blockLast(WAIT);
			assertThat(seen).isEqualTo("1234ms");
		}
		finally {
			Flux.from(careless.createStatement("RESET statement_timeout").execute())
				.concatMap(result -> result.getRowsUpdated())
				.blockLast(WAIT);
			Mono.from(careless.close()).block(WAIT);
			Mono.from(stranger.close()).block(WAIT);
		}
		assertThatThrownBy(() -> node.execute("SET statement_timeout = 1234").block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("session_state"));
		// per-query timeouts, longer and shorter than the node's, never touch the sessions either
		node.execute(Query.of("SELECT 1 AS one").timeout(Duration.ofSeconds(90))).block(WAIT);
		node.execute(Query.of("SELECT 1 AS one").timeout(Duration.ofSeconds(2))).block(WAIT);
		node.stream(Query.of("SELECT generate_series(1, 10) AS n").timeout(Duration.ofSeconds(90))).blockLast(WAIT);
		for (int i = 0; i < 4; i++) {
			assertThat(node.execute("SHOW statement_timeout").block(WAIT).one())
				.containsEntry("statement_timeout", serverDefault);
		}
	}

	@Test
	void aStatementTimeoutIsEnforcedByACancelRequestThroughTheProxy() {
		try (AsyncSqlNode sleepy = AsyncSqlNode.builder(schema.node("sleepy").validateQueries(false)
			.timeout(Duration.ofMillis(500)).retry(RetryConfig.NONE).build()).build()) {
			long start = System.nanoTime();
			assertThatThrownBy(() -> sleepy.execute("SELECT pg_sleep(10) AS bouncer_sleep").block(WAIT))
				.isInstanceOfSatisfying(QueryTimeoutException.class,
						ex -> assertThat(ex.sqlState()).isEqualTo("57014"));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThatThrownBy(() -> sleepy.execute(Query.of("SELECT pg_sleep(10) AS bouncer_sleep")
				.timeout(Duration.ofMillis(200))).block(WAIT)).isInstanceOf(QueryTimeoutException.class);
			assertThat(schema.count("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%bouncer_sleep%' "
					+ "AND state = 'active' AND pid <> pg_backend_pid()")).isZero();
			// a per-query timeout beyond the node's lets the statement finish
			assertThat(sleepy.execute(Query.of("SELECT pg_sleep(0.8) AS bouncer_sleep, 7 AS n")
				.timeout(Duration.ofSeconds(5))).block(WAIT).one()).containsEntry("n", 7);
			await().atMost(WAIT).untilAsserted(() -> assertThat(sleepy.pool().stats().acquired()).isZero());
			assertThat(sleepy.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "LISTEN orders", "UNLISTEN *", "SELECT pg_advisory_lock(42)",
			"SELECT pg_try_advisory_lock(1, 2) AS locked", "SELECT pg_advisory_unlock_all()",
			"SET search_path TO elsewhere", "SET SESSION statement_timeout = 1000", "RESET ALL",
			"SELECT set_config('app.user', 'ada', false)", "SELECT set_config('app.user', :user, :local)",
			"CREATE TEMP TABLE scratch (id int)", "CREATE TEMPORARY TABLE scratch (id int) ON COMMIT DELETE ROWS",
			"PREPARE fetch_item AS SELECT * FROM items", "EXECUTE fetch_item", "DEALLOCATE ALL",
			"DECLARE rows CURSOR WITH HOLD FOR SELECT * FROM items" })
	void statementsWhoseStateOutlivesTheirTransactionAreRefusedBeforeTheDatabase(String sql) {
		try (AsyncSqlNode fresh = AsyncSqlNode.builder(schema.node("fresh").allowAdmin(true).validateQueries(false)
			.sharePool(false).build()).build()) {
			assertThatThrownBy(() -> fresh.execute(sql, sql.contains(":user") ? Map.of("user", "ada", "local", false)
					: Map.of()).block(WAIT))
				.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
					assertThat(ex.rule()).isEqualTo("session_state");
					assertThat(ex.getMessage()).contains("transaction-pooling proxy").contains("pooler: none");
				});
			assertThat(fresh.pool().stats().allocated()).isZero();
		}
	}

	@Test
	void transactionScopedFormsWorkThroughTheProxy() {
		String serverDefault = (String) schema.scalar("SHOW statement_timeout");
		List<Object> seen = node.inTransaction(tx -> tx.execute("SET LOCAL statement_timeout = 4321")
			.then(tx.execute("SELECT pg_advisory_xact_lock(42)"))
			.then(tx.execute("SELECT set_config('app.user', 'ada', true)"))
			.then(tx.execute("CREATE TEMP TABLE scratch (id int) ON COMMIT DROP"))
			.then(tx.execute("INSERT INTO scratch (id) VALUES (1), (2)"))
			.then(tx.execute("SELECT current_setting('statement_timeout') AS t, current_setting('app.user') AS u, "
					+ "(SELECT count(*) FROM scratch) AS n"))
			.map(result -> List.<Object>of(result.one().get("t"), result.one().get("u"), result.one().get("n"))))
			.blockLast(WAIT);
		assertThat(seen).containsExactly("4321ms", "ada", 2L);
		// the words inside literals are data
		assertThat(node.execute("SELECT 'LISTEN x; SET a = 1' AS text").block(WAIT).one())
			.containsEntry("text", "LISTEN x; SET a = 1");
		for (int i = 0; i < 4; i++) {
			assertThat(node.execute("SHOW statement_timeout").block(WAIT).one())
				.containsEntry("statement_timeout", serverDefault);
			assertThat(node.execute("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'").block(WAIT).one())
				.containsEntry("n", 0L);
		}
	}

	@Test
	void sessionParametersInTheOptionsAreRefusedWithTheFix() {
		assertThatThrownBy(() -> AsyncSqlNode.builder(schema.node("pathy", Map.of("search_path", "app")).build())
			.build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("search_path")
			.hasMessageContaining("ALTER ROLE");
		ConnectionSettings url = ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL,
				"r2dbc:postgresql://127.0.0.1:" + schema.bouncer().port() + "/test?statementTimeout=5s");
		assertThatThrownBy(() -> AsyncSqlNode.builder(schema.node("timed").connection(url).build()).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("statementTimeout");
	}

}
