package io.asyncsql.core.params;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.BatchResult;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Positional parameters ({@code $1..$n}) and {@code executeMany} batches against the real server.
 */
class PositionalAndBatchTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final long BEYOND_INT = (1L << 40) + 3;

	private static PostgresSchema schema;

	private static AsyncSqlNode auto;

	private static AsyncSqlNode none;

	/** One connection only, so a follow-up statement sees the session the batch ran on. */
	private static AsyncSqlNode single;

	enum Kind {

		LOGIN, LOGOUT

	}

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("batch");
		schema.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, \"user\" text, userid bigint, note text, kind text, "
				+ "doc jsonb)", "CREATE TABLE archive (id bigint, note text)");
		auto = AsyncSqlNode.builder(schema.node("positional_auto").build()).build();
		none = AsyncSqlNode.builder(schema.node("positional_none").transactionMode(TransactionMode.NONE).build()).build();
		single = AsyncSqlNode.builder(schema.node("positional_single").sharePool(false)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofSeconds(10)).build())
			.build()).build();
	}

	@AfterAll
	static void dropSchema() {
		auto.close();
		none.close();
		single.close();
		schema.close();
	}

	@BeforeEach
	void truncate() {
		schema.sql("TRUNCATE accounts, archive");
	}

	private static long count(String table) {
		return (Long) schema.scalar("SELECT count(*) FROM " + table);
	}

	// ---------------------------------------------------------------- positional parameters

	@Test
	void positionalParametersBindInMarkerOrder() {
		QueryResult insert = auto.execute("INSERT INTO accounts (id, \"user\", kind, doc) VALUES ($1, $2, $3, $4)",
				List.of(BEYOND_INT, "ada", Kind.LOGIN, Map.of("k", 1))).block(WAIT);
		assertThat(insert.rowCount()).isEqualTo(1);
		Map<String, Object> row = auto.execute("SELECT id, \"user\", kind, doc FROM accounts WHERE id = $1 AND \"user\" = $2",
				List.of(BEYOND_INT, "ada")).block(WAIT).one();
		assertThat(row).containsEntry("id", BEYOND_INT).containsEntry("user", "ada").containsEntry("kind", "LOGIN")
			.containsEntry("doc", Map.of("k", 1));
	}

	@Test
	void positionalMarkersMayRepeatAndComeOutOfOrder() {
		Map<String, Object> row = auto.execute("SELECT $2::text || $1::text || $2::text AS s, $1::int + $1::int AS n",
				List.of(1, "x")).block(WAIT).one();
		assertThat(row).containsEntry("s", "x1x").containsEntry("n", 2);
	}

	@Test
	void elevenPositionalParameters() {
		List<Object> values = new ArrayList<>();
		StringBuilder sql = new StringBuilder("SELECT ");
		for (int i = 1; i <= 11; i++) {
			sql.append((i > 1) ? " + " : "").append('$').append(i).append("::int");
			values.add(i * 100);
		}
		assertThat(auto.execute(sql.append(" AS total").toString(), values).block(WAIT).one())
			.containsEntry("total", 6600);
	}

	@Test
	void positionalArraysNullsAndJsonOperator() {
		auto.execute("INSERT INTO accounts (id, note, doc) VALUES ($1, $2, $3)",
				Arrays.asList(1L, null, Map.of("tags", List.of("a", "b")))).block(WAIT);
		assertThat(auto.execute("SELECT id FROM accounts WHERE id = ANY($1) AND note IS NULL AND doc -> 'tags' ? $2",
				List.of(List.of(1L, BEYOND_INT), "a")).block(WAIT).rows()).hasSize(1);
	}

	@Test
	void positionalValuesMustMatchTheMarkers() {
		assertThatThrownBy(() -> auto.execute("SELECT $1::int + $2::int", List.of(1)).block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("$2");
		assertThatThrownBy(() -> auto.execute("SELECT $1::int", List.of(1, 2)).block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("2 values");
		assertThatThrownBy(() -> auto.execute("SELECT $1::int, :name", List.of(1)).block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining(":name");
	}

	@Test
	void positionalParametersInsideATransaction() {
		auto.inTransaction(tx -> tx.execute("INSERT INTO accounts (id, note) VALUES ($1, $2)", List.of(7L, "in tx"))
			.then(tx.execute("UPDATE accounts SET note = note || $1 WHERE id = $2", List.of("!", 7L)))).blockLast(WAIT);
		assertThat(schema.scalar("SELECT note FROM accounts WHERE id = 7")).isEqualTo("in tx!");
	}

	// ---------------------------------------------------------------- batches

	@Test
	void batchRunsEverySetOnOnePreparedStatement() {
		String sql = "INSERT INTO accounts (id, note) VALUES (:id, :note) /* one prepared statement */";
		List<Map<String, Object>> sets = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			sets.add(Map.of("id", (long) i, "note", "n" + i));
		}
		assertThat(single.executeMany(sql, sets).block(WAIT)).isEqualTo(new BatchResult(100, 100));
		// the single connection's session: one prepared statement for the batch text, executed once per set
		Map<String, Object> prepared = single.execute("SELECT count(*) AS statements, sum(generic_plans + custom_plans) "
				+ "AS executions FROM pg_prepared_statements WHERE statement = :sql",
				Map.of("sql", "INSERT INTO accounts (id, note) VALUES ($1, $2) /* one prepared statement */")).block(WAIT).one();
		assertThat(prepared).containsEntry("statements", 1L);
		assertThat(((Number) prepared.get("executions")).longValue()).isEqualTo(100L);
	}

	@Test
	void tenThousandSetsInOneAllOrNothingBatch() {
		List<Map<String, Object>> sets = new ArrayList<>(10_000);
		for (int i = 0; i < 10_000; i++) {
			sets.add(Map.of("id", (long) i, "note", "note " + i, "kind", (i % 2 == 0) ? "even" : "odd"));
		}
		String sql = "INSERT INTO accounts (id, note, kind) VALUES (:id, :note, :kind)";
		assertThat(auto.executeMany(sql, sets).block(WAIT)).isEqualTo(new BatchResult(10_000, 10_000));
		assertThat(count("accounts")).isEqualTo(10_000L);
		assertThat(schema.scalar("SELECT count(*) FROM accounts WHERE kind = 'odd' AND note = 'note ' || id"))
			.isEqualTo(5_000L);

		// the same 10,000 again, the last one colliding with a row of the first batch: nothing of it stays
		schema.sql("TRUNCATE accounts", "INSERT INTO accounts (id) VALUES (-1)");
		sets.set(9_999, Map.of("id", -1L, "note", "dup", "kind", "x"));
		assertThatThrownBy(() -> auto.executeMany(sql, sets).block(WAIT))
			.isInstanceOfSatisfying(UniqueViolationException.class, ex -> assertThat(ex.sqlState()).isEqualTo("23505"));
		assertThat(count("accounts")).isEqualTo(1L);
		await().atMost(WAIT).untilAsserted(() -> assertThat(auto.pool().stats().acquired()).isZero());
	}

	@Test
	void batchReportsTheRealAffectedRowTotal() {
		schema.sql("INSERT INTO accounts (id, kind) SELECT g, CASE WHEN g <= 3 THEN 'a' ELSE 'b' END "
				+ "FROM generate_series(1, 10) g");
		BatchResult updated = auto.executeMany("UPDATE accounts SET note = :note WHERE kind = :kind",
				List.of(Map.of("note", "x", "kind", "a"), Map.of("note", "y", "kind", "b"), Map.of("note", "z", "kind", "c")))
			.block(WAIT);
		assertThat(updated).isEqualTo(new BatchResult(10, 3));
		BatchResult copied = auto.executeMany("INSERT INTO archive (id, note) SELECT id, note FROM accounts WHERE kind = :kind",
				List.of(Map.of("kind", "a"), Map.of("kind", "b"))).block(WAIT);
		assertThat(copied).isEqualTo(new BatchResult(10, 2));
		assertThat(count("archive")).isEqualTo(10L);
	}

	@Test
	void namesThatArePrefixesOfEachOtherNeverCollide() {
		Map<String, Object> first = new LinkedHashMap<>();
		first.put("userid", 10L);
		first.put("user", "alice");
		first.put("id", 1L);
		Map<String, Object> second = new LinkedHashMap<>();
		second.put("id", 2L);
		second.put("user", "bob");
		second.put("userid", 20L);
		BatchResult result = auto.executeMany("INSERT INTO accounts (id, \"user\", userid, note) "
				+ "VALUES (:id, :user, :userid, :user || '#' || :userid)", List.of(first, second)).block(WAIT);
		assertThat(result).isEqualTo(new BatchResult(2, 2));
		assertThat(schema.query("SELECT id, \"user\", userid, note FROM accounts ORDER BY id")).containsExactly(
				List.of(1L, "alice", 10L, "alice#10"), List.of(2L, "bob", 20L, "bob#20"));
	}

	@Test
	void everySetIsCheckedAndTheFaultySetIsNamed() {
		String sql = "INSERT INTO accounts (id, note) VALUES (:id, :note)";
		assertThatThrownBy(() -> auto.executeMany(sql,
				List.of(Map.of("id", 1L, "note", "a"), Map.of("id", 2L, "note", "b"), Map.of("id", 3L))).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("note");
				assertThat(ex.getMessage()).contains("set 2").contains("':note'");
			});
		assertThatThrownBy(() -> auto.executeMany(sql,
				List.of(Map.of("id", 1L, "note", "a"), Map.of("id", 2L, "note", "b", "nope", 1))).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("nope");
				assertThat(ex.getMessage()).contains("set 1").contains("'nope'");
			});
		// an unbindable value is found in whichever set holds it, before anything is sent
		assertThatThrownBy(() -> auto.executeMany(sql,
				List.of(Map.of("id", 1L, "note", "a"), Map.of("id", 2L, "note", new Object()))).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class,
					ex -> assertThat(ex.getMessage()).contains("set 1").contains("':note'").contains("java.lang.Object"));
		assertThat(count("accounts")).isZero();
	}

	@Test
	void setsMayDifferInNullsAndValueTypes() {
		Map<String, Object> withNull = new HashMap<>();
		withNull.put("id", 2);
		withNull.put("doc", null);
		BatchResult result = auto.executeMany("INSERT INTO accounts (id, doc) VALUES (:id, :doc)",
				List.of(Map.of("id", 1L, "doc", Map.of("a", 1)), withNull, Map.of("id", BEYOND_INT, "doc", Map.of("b", 2))))
			.block(WAIT);
		assertThat(result).isEqualTo(new BatchResult(3, 3));
		assertThat(schema.query("SELECT id, doc ->> 'a', doc IS NULL FROM accounts ORDER BY id")).containsExactly(
				Arrays.asList(1L, "1", false), Arrays.asList(2L, null, true), Arrays.asList(BEYOND_INT, null, false));
	}

	@Test
	void autocommitBatchKeepsTheSetsBeforeAFailure() {
		assertThatThrownBy(() -> none.executeMany("INSERT INTO accounts (id) VALUES (:id)",
				List.of(Map.of("id", 1L), Map.of("id", 2L), Map.of("id", 1L), Map.of("id", 3L))).block(WAIT))
			.isInstanceOf(UniqueViolationException.class);
		// NONE means autocommit: each set commits on its own, and the batch stops at the failing one
		assertThat(schema.query("SELECT id FROM accounts ORDER BY id")).containsExactly(List.of(1L), List.of(2L));
	}

}
