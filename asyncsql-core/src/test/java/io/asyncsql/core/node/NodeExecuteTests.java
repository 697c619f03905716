package io.asyncsql.core.node;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeExecuteTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	private static final Map<TransactionMode, AsyncSqlNode> nodes = new LinkedHashMap<>();

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("execute");
		schema.sql("CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true)",
				"CREATE TABLE archive (id bigint, name text)");
		for (TransactionMode mode : TransactionMode.values()) {
			nodes.put(mode, AsyncSqlNode.builder(schema.node("exec_" + mode.name().toLowerCase()).transactionMode(mode)
				.build()).build());
		}
	}

	@AfterAll
	static void dropSchema() {
		nodes.values().forEach(AsyncSqlNode::close);
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		schema.sql("TRUNCATE users, archive",
				"INSERT INTO users (id, name, active) VALUES (1, 'ada', true), (2, 'grace', true), (3, 'linus', false)");
	}

	private static AsyncSqlNode node() {
		return nodes.get(TransactionMode.AUTO);
	}

	@Test
	void executeWithoutParameters() {
		QueryResult result = node().execute("SELECT id, name FROM users ORDER BY id").block(WAIT);
		assertThat(result.rows()).extracting(row -> row.get("name")).containsExactly("ada", "grace", "linus");
		assertThat(result.rowCount()).isEqualTo(3);
		assertThat(result.columns()).containsExactly("id", "name");
		assertThat(result.databaseType()).isEqualTo(DatabaseType.POSTGRESQL);
		assertThat(result.query()).isEqualTo("SELECT id, name FROM users ORDER BY id");
		assertThat(result.elapsed()).isPositive();
	}

	@Test
	void executeWithNamedParameters() {
		QueryResult result = node().execute("SELECT name FROM users WHERE active = :active ORDER BY id",
				Map.of("active", true)).block(WAIT);
		assertThat(result.rows()).extracting(row -> row.get("name")).containsExactly("ada", "grace");
	}

	@Test
	void rowsKeepColumnOrder() {
		Map<String, Object> row = node().execute("SELECT name, active, id FROM users WHERE id = 1").block(WAIT).one();
		assertThat(row.keySet()).containsExactly("name", "active", "id");
		assertThat(row).containsEntry("id", 1L).containsEntry("name", "ada").containsEntry("active", true);
	}

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void fetchOneReturnsTheFirstRowOrNull(TransactionMode mode) {
		AsyncSqlNode node = nodes.get(mode);
		QueryResult one = node.execute("SELECT id FROM users ORDER BY id", Map.of(), FetchMode.ONE).block(WAIT);
		assertThat(one.rows()).hasSize(1);
		assertThat(one.one()).containsEntry("id", 1L);
		assertThat(one.rowCount()).isEqualTo(1);
		assertThat(one.toMap()).isEqualTo(Map.of("result", Map.of("data", Map.of("id", 1L), "row_count", 1L, "columns",
				List.of("id"), "query", "SELECT id FROM users ORDER BY id", "database_type", "postgresql")));
		QueryResult none = node.execute("SELECT id FROM users WHERE id = :id", Map.of("id", 99), FetchMode.ONE).block(WAIT);
		assertThat(none.one()).isNull();
		assertThat(none.rowCount()).isZero();
		assertThat(((Map<?, ?>) none.toMap().get("result")).get("data")).isNull();
	}

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void fetchManyReturnsFetchSizeRows(TransactionMode mode) {
		QueryResult many = nodes.get(mode).execute(Query.of("SELECT id FROM users ORDER BY id")
			.fetchMode(FetchMode.MANY).fetchSize(2)).block(WAIT);
		assertThat(many.rows()).extracting(row -> row.get("id")).containsExactly(1L, 2L);
		assertThat(((Map<?, ?>) many.toMap().get("result")).get("data")).isEqualTo(many.rows());
	}

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void fetchAllReturnsEveryRow(TransactionMode mode) {
		QueryResult all = nodes.get(mode).execute("SELECT id FROM users ORDER BY id", Map.of(), FetchMode.ALL).block(WAIT);
		assertThat(all.rows()).extracting(row -> row.get("id")).containsExactly(1L, 2L, 3L);
	}

	@Test
	void fetchManyWithoutFetchSizeFailsAtCallTime() {
		assertThatThrownBy(() -> node().execute("SELECT 1", Map.of(), FetchMode.MANY))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("fetch size");
	}

	@Test
	void rowCountOfInsertIsRowsAffected() {
		QueryResult insert = node().execute("INSERT INTO users (id, name) VALUES (:a, 'x'), (:b, 'y')",
				Map.of("a", 10, "b", 11)).block(WAIT);
		assertThat(insert.rowCount()).isEqualTo(2);
		assertThat(insert.rows()).isEmpty();
		assertThat(schema.scalar("SELECT count(*) FROM users")).isEqualTo(5L);
	}

	@Test
	void rowCountOfInsertSelectIsRowsAffected() {
		QueryResult copy = node().execute("INSERT INTO archive (id, name) SELECT id, name FROM users WHERE id <= :max",
				Map.of("max", 2)).block(WAIT);
		assertThat(copy.rowCount()).isEqualTo(2);
		assertThat(schema.scalar("SELECT count(*) FROM archive")).isEqualTo(2L);
	}

	@Test
	void rowCountOfUpdateAndDeleteIsRowsAffected() {
		assertThat(node().execute("UPDATE users SET active = false WHERE active").block(WAIT).rowCount()).isEqualTo(2);
		assertThat(node().execute("DELETE FROM users WHERE id > :id", Map.of("id", 1)).block(WAIT).rowCount()).isEqualTo(2);
		assertThat(node().execute("UPDATE users SET name = 'z' WHERE id = 42").block(WAIT).rowCount()).isZero();
	}

	@Test
	void rowCountOfReturningIsRowsReturned() {
		QueryResult returning = node().execute("UPDATE users SET name = upper(name) WHERE id IN (1, 2) RETURNING id, name")
			.block(WAIT);
		assertThat(returning.rowCount()).isEqualTo(2);
		assertThat(returning.rows()).extracting(row -> row.get("name")).containsExactlyInAnyOrder("ADA", "GRACE");
		QueryResult firstOnly = node().execute("UPDATE users SET name = lower(name) RETURNING id", Map.of(), FetchMode.ONE)
			.block(WAIT);
		assertThat(firstOnly.rows()).hasSize(1);
		assertThat(firstOnly.rowCount()).isEqualTo(3);
		assertThat(schema.scalar("SELECT count(*) FROM users WHERE name = lower(name)")).isEqualTo(3L);
	}

	@Test
	void longBeyondIntegerRangeBindsAsBigint() {
		long big = (1L << 40) + 7;
		node().execute("INSERT INTO users (id, name) VALUES (:id, 'big')", Map.of("id", big)).block(WAIT);
		QueryResult byId = node().execute("SELECT id FROM users WHERE id = :id", Map.of("id", big)).block(WAIT);
		assertThat(byId.one()).containsEntry("id", big);
		QueryResult byArray = node().execute("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id",
				Map.of("ids", List.of(1L, big))).block(WAIT);
		assertThat(byArray.rows()).extracting(row -> row.get("id")).containsExactly(1L, big);
	}

	@Test
	void parameterNamesInsideLiteralsAndCommentsAreLeftUntouched() {
		QueryResult result = node().execute("SELECT ':id' AS lit, /* :id */ :id::int AS p -- :id\n", Map.of("id", 5))
			.block(WAIT);
		assertThat(result.one()).containsEntry("lit", ":id").containsEntry("p", 5);
	}

	@Test
	void castOfLiteralToTextWorksBesideAParameterNamedText() {
		QueryResult result = node().execute("SELECT 'a'::text AS a, :text AS t", Map.of("text", "b")).block(WAIT);
		assertThat(result.one()).containsEntry("a", "a").containsEntry("t", "b");
	}

	@Test
	void positionalParameters() {
		QueryResult result = node().execute("SELECT name FROM users WHERE id = $1 OR id = $2 ORDER BY id", List.of(1L, 3L))
			.block(WAIT);
		assertThat(result.rows()).extracting(row -> row.get("name")).containsExactly("ada", "linus");
	}

	@Test
	void missingParameterFailsBeforeAnyRoundTrip() {
		// a node with a pool of its own that has never opened a connection
		try (AsyncSqlNode fresh = AsyncSqlNode.builder(schema.node("fresh").sharePool(false).build()).build()) {
			assertThatThrownBy(() -> fresh.execute("SELECT name FROM users WHERE id = :id AND name = :name",
					Map.of("id", 1)).block(WAIT))
				.isInstanceOf(ParameterBindingException.class)
				.hasMessageContaining(":name");
			assertThat(fresh.pool().stats().allocated()).isZero();
			assertThat(fresh.pool().connectionFactory().getMetrics().orElseThrow().allocatedSize()).isZero();
		}
	}

	@Test
	void unknownParameterFailsNamingIt() {
		assertThatThrownBy(() -> node().execute("SELECT name FROM users WHERE id = :id", Map.of("id", 1, "nmae", "x"))
			.block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("'nmae'");
	}

	@Test
	void databaseErrorsCarryTheSqlStateButNotTheValues() {
		assertThatThrownBy(() -> node().execute("INSERT INTO users (id, name) VALUES (:id, :name)",
				Map.of("id", 1, "name", "duplicate-secret")).block(WAIT))
			.isInstanceOfSatisfying(UniqueViolationException.class, ex -> {
				assertThat(ex.sqlState()).isEqualTo("23505");
				assertThat(ex.nodeName()).isEqualTo("exec_auto");
				assertThat(ex.getMessage()).doesNotContain("duplicate-secret");
			});
		assertThatThrownBy(() -> node().execute("SELECT CAST(:v AS integer)", Map.of("v", "not-a-number-secret")).block(WAIT))
			.isInstanceOfSatisfying(IntegrityViolationException.class, ex -> {
				assertThat(ex.sqlState()).isEqualTo("22P02");
				assertThat(ex.getMessage()).doesNotContain("not-a-number-secret");
			});
	}

	@Test
	void failedStatementInAutoModeChangesNothing() {
		assertThatThrownBy(() -> node().execute("INSERT INTO users (id, name) VALUES (20, 'a'), (1, 'dup')").block(WAIT))
			.isInstanceOf(UniqueViolationException.class);
		assertThat(schema.scalar("SELECT count(*) FROM users WHERE id = 20")).isEqualTo(0L);
	}

	@Test
	void pingMeasuresARoundTrip() {
		assertThat(node().ping().block(WAIT)).isPositive();
	}

}
