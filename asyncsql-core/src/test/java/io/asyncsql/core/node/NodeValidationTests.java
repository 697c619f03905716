package io.asyncsql.core.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.validation.QueryValidator;
import io.asyncsql.core.validation.Violation;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Validation as a node applies it, against the real PostgreSQL: refused statements never reach the database,
 * {@code allow-admin} lets DDL through but never dangerous functions, messages say what was refused where and how to
 * allow it, rejections are counted, and verdicts are cached.
 */
class NodeValidationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	private MeterRegistry registry;

	private AsyncSqlNode guarded;

	private AsyncSqlNode admin;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("validation");
		schema.sql("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL, "
				+ "note text)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@BeforeEach
	void createNodes() {
		schema.sql("TRUNCATE users", "INSERT INTO users (id, name, active, note) VALUES (1, 'ada', true, 'truncate'), "
				+ "(2, 'grace', true, 'a--b'), (3, 'linus', false, NULL)");
		this.registry = new SimpleMeterRegistry();
		// pools of their own, so that their statistics show whether a connection was ever opened
		this.guarded = AsyncSqlNode.builder(schema.node("guarded").sharePool(false).build())
			.meterRegistry(this.registry)
			.build();
		this.admin = AsyncSqlNode.builder(schema.node("admin").sharePool(false).allowAdmin(true).build())
			.meterRegistry(this.registry)
			.build();
	}

	@AfterEach
	void closeNodes() {
		this.guarded.close();
		this.admin.close();
	}

	@Test
	void aRefusedDropTableLeavesTheTableAndNeverReachesTheDatabase() {
		assertThatThrownBy(() -> this.guarded.execute("DROP TABLE users").block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
				assertThat(ex.rule()).isEqualTo("admin_statement");
				assertThat(ex.position()).isZero();
				assertThat(ex.nodeName()).isEqualTo("guarded");
			});
		for (String attack : List.of("SELECT 1; DROP TABLE users", ";DROP TABLE users", "DR/**/OP TABLE users",
				"SELECT 1 -- x\r; DROP TABLE users", "/* x */ drop table users",
				"SELECT * FROM users WHERE name = '' OR 1=1 --'", "SELECT pg_sleep(5)")) {
			assertThatThrownBy(() -> this.guarded.execute(attack).block(WAIT)).as(attack)
				.isInstanceOf(QueryValidationException.class);
		}
		assertThat(schema.scalar("SELECT count(*) FROM users")).isEqualTo(3L);
		// no connection was ever opened, so nothing was sent
		assertThat(this.guarded.pool().stats().allocated()).isZero();
		assertThat(this.registry.get("asyncsql.queries").tag("node", "guarded").tag("outcome", "rejected").timers()
			.stream().mapToLong(Timer::count).sum()).isEqualTo(8);
	}

	@Test
	void refusedStatementsInsideATransactionAreNotSentEither() {
		assertThatThrownBy(() -> this.guarded
			.inTransaction(tx -> tx.execute("UPDATE users SET active = false").then(tx.execute("DROP TABLE users")))
			.blockLast(WAIT)).isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("admin_statement"));
		assertThat(schema.scalar("SELECT count(*) FROM users WHERE active")).isEqualTo(2L);
		assertThatThrownBy(() -> this.guarded.inTransaction(tx -> tx.execute("COMMIT")).blockLast(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("transaction_control"));
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.guarded.pool().stats().acquired()).isZero());
	}

	@Test
	void allowAdminRunsTheSeedTemporaryTableExample() {
		String sql = "CREATE TEMPORARY TABLE temp_analysis AS SELECT * FROM users WHERE active = :active";
		assertThatThrownBy(() -> this.guarded.execute(sql, Map.of("active", true)).block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("admin_statement"));
		// a temporary table lives in its session: create and read it on one connection
		List<QueryResult> results = this.admin
			.inTransaction(tx -> tx.execute(sql, Map.of("active", true))
				.concatWith(tx.execute("SELECT name FROM temp_analysis ORDER BY id")))
			.collectList()
			.block(WAIT);
		assertThat(results.get(0).rowCount()).isEqualTo(2);
		assertThat(results.get(1).rows()).extracting(row -> row.get("name")).containsExactly("ada", "grace");
	}

	@Test
	void allowAdminNeverAllowsDangerousFunctions() {
		for (String sql : List.of("SELECT pg_sleep(5)", "SELECT * FROM users WHERE id = 1 OR pg_sleep(5) IS NULL",
				"SELECT pg_read_file('/etc/passwd')", "SELECT lo_import('/etc/passwd')",
				"SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(a int)", "COPY users TO PROGRAM 'id'",
				"SELECT U&\"\\0070g_sleep\"(5)")) {
			assertThatThrownBy(() -> this.admin.execute(sql).block(WAIT)).as(sql)
				.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
					assertThat(ex.rule()).isEqualTo("dangerous_function");
					assertThat(ex.getMessage()).doesNotContain("allow-admin");
				});
		}
		assertThat(this.admin.pool().stats().allocated()).isZero();
	}

	@Test
	void messagesNameTheRuleThePositionAndHowToAllowIt() {
		assertThatThrownBy(() -> this.guarded.execute("SELECT 1 FROM users;\n  DROP TABLE users").block(WAIT))
			.hasMessage("Node 'guarded' refused the statement: rule multiple_statements at position 23: more than one "
					+ "statement (the second starts with DROP)");
		assertThatThrownBy(() -> this.guarded.execute("/* cleanup */ TRUNCATE users").block(WAIT))
			.hasMessage("Node 'guarded' refused the statement: rule admin_statement at position 14: administrative "
					+ "statement TRUNCATE; to allow it, set allow-admin: true on the node");
		assertThatThrownBy(() -> this.admin.execute("SELECT name, pg_sleep(1) FROM users").block(WAIT))
			.hasMessage("Node 'admin' refused the statement: rule dangerous_function at position 13: function pg_sleep");
		assertThatThrownBy(() -> this.guarded.execute("BEGIN").block(WAIT))
			.hasMessage("Node 'guarded' refused the statement: rule transaction_control at position 0: transaction "
					+ "control BEGIN; use beginTransaction() or inTransaction() instead");
		// literal contents are never quoted: they may hold data
		assertThatThrownBy(
				() -> this.guarded.execute("SELECT * FROM users WHERE name = 's3cret-value' OR 'a' = 'a'").block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
				assertThat(ex.rule()).isEqualTo("injection_tautology");
				assertThat(ex.position()).isEqualTo(48);
				assertThat(ex.getMessage()).contains("rule injection_tautology at position 48")
					.doesNotContain("s3cret-value")
					.doesNotContain("allow-admin");
			});
	}

	@Test
	void aNulCharacterInTheTextIsRefusedOnEveryNodeBeforeTheDatabase() {
		try (AsyncSqlNode unvalidated = AsyncSqlNode.builder(schema.node("unvalidated").sharePool(false)
			.validateQueries(false).build()).build()) {
			for (AsyncSqlNode node : List.of(this.guarded, unvalidated)) {
				assertThatThrownBy(() -> node.execute("SELECT name FROM users WHERE name = 'a\0b'").block(WAIT))
					.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
						assertThat(ex.rule()).isEqualTo("nul_character");
						assertThat(ex.position()).isEqualTo(38);
					})
					.hasMessageContaining("rule nul_character at position 38: the SQL text holds a NUL character");
				assertThatThrownBy(() -> node.stream("SELECT '\0'", Map.of()).blockLast(WAIT))
					.isInstanceOf(QueryValidationException.class);
				assertThat(node.pool().stats().allocated()).as("connections opened").isZero();
			}
			// as a bound value it reaches the server, which refuses it as text in its own words
			assertThatThrownBy(() -> unvalidated.execute("SELECT :v AS v", Map.of("v", "a\0b")).block(WAIT))
				.isInstanceOf(IntegrityViolationException.class);
		}
	}

	@Test
	void rejectionsAreCountedPerNodeAndRule() {
		for (String sql : List.of("DROP TABLE users", "VACUUM", "SELECT * FROM users WHERE id = 1 OR 1=1")) {
			assertThatThrownBy(() -> this.guarded.execute(sql).block(WAIT)).isInstanceOf(QueryValidationException.class);
		}
		assertThatThrownBy(() -> this.admin.execute("SELECT pg_sleep(1)").block(WAIT))
			.isInstanceOf(QueryValidationException.class);
		assertThat(rejections("guarded", "admin_statement")).isEqualTo(2);
		assertThat(rejections("guarded", "injection_tautology")).isEqualTo(1);
		assertThat(rejections("admin", "dangerous_function")).isEqualTo(1);
		assertThat(this.registry.find("asyncsql.validation.rejections").tag("node", "admin")
			.tag("rule", "admin_statement").counter()).isNull();
	}

	@Test
	void legitimateStatementsRunForReal() {
		assertThat(this.guarded.execute("SELECT name FROM users WHERE note = 'truncate' -- the note says truncate\n"
				+ "UNION ALL SELECT name FROM users WHERE note = 'a--b' /* a comment */ ORDER BY 1").block(WAIT).rows())
			.extracting(row -> row.get("name")).containsExactly("ada", "grace");
		assertThat(this.guarded.execute("SELECT 'it''s; DROP TABLE users' AS s, $$ DROP TABLE users $$ AS t").block(WAIT)
			.one()).containsEntry("s", "it's; DROP TABLE users").containsEntry("t", " DROP TABLE users ");
		assertThat(this.guarded.execute("INSERT INTO users (id, name, active) VALUES (:id, :name, true) "
				+ "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name", Map.of("id", 3, "name", "linus t"))
			.block(WAIT).rowCount()).isEqualTo(1);
		assertThat(schema.scalar("SELECT name FROM users WHERE id = 3")).isEqualTo("linus t");
		assertThat(this.guarded.execute("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id FOR UPDATE SKIP LOCKED",
				Map.of("ids", List.of(1, 3))).block(WAIT).rows()).extracting(row -> row.get("id"))
			.containsExactly(1L, 3L);
		assertThat(this.guarded.execute("WITH gone AS (DELETE FROM users WHERE NOT active RETURNING *) "
				+ "SELECT count(*) AS n FROM gone").block(WAIT).one()).containsEntry("n", 1L);
		assertThat(schema.scalar("SELECT count(*) FROM users")).isEqualTo(2L);
		assertThat(this.guarded.execute("SELECT drop_date FROM (SELECT 1 AS drop_date) \"select\";").block(WAIT).one())
			.containsEntry("drop_date", 1);
	}

	@Test
	void verdictsAreCachedPerTextAndAllowAdminSetting() {
		QueryValidator validator = ((DefaultAsyncSqlNode) this.guarded).dialect().validator();
		String sql = "SELECT * FROM users WHERE id = 1 OR 'x' = 'x'";
		SqlTemplate template = ((DefaultAsyncSqlNode) this.guarded).dialect().templates().get(sql);
		Violation first = validator.validate(template, false);
		assertThat(validator.validate(template, false)).isSameAs(first);
		assertThatThrownBy(() -> this.guarded.execute(sql).block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class, ex -> {
				assertThat(ex.rule()).isEqualTo(first.rule().id());
				assertThat(ex.position()).isEqualTo(first.position());
			});
		// a cached verdict is a map lookup: a generous bound that only a recomputation per call could miss
		int same = 0;
		long start = System.nanoTime();
		for (int i = 0; i < 100_000; i++) {
			same += (validator.validate(template, false) == first) ? 1 : 0;
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(same).isEqualTo(100_000);

		// the same text, allowed on the admin node first, is still refused on the guarded one
		String ddl = "CREATE TEMPORARY TABLE cache_probe (id int) ON COMMIT DROP";
		this.admin.inTransaction(tx -> tx.execute(ddl)).blockLast(WAIT);
		assertThatThrownBy(() -> this.guarded.execute(ddl).block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("admin_statement"));
	}

	@Test
	void validationCanBeSwitchedOff() {
		try (AsyncSqlNode unchecked = AsyncSqlNode.builder(schema.node("unchecked").validateQueries(false).build())
			.build()) {
			assertThat(unchecked.execute("SELECT pg_sleep(0) IS NULL AS slept").block(WAIT).one())
				.containsEntry("slept", false);
		}
	}

	private double rejections(String node, String rule) {
		return this.registry.get("asyncsql.validation.rejections").tag("node", node).tag("rule", rule).counter()
			.count();
	}

}
