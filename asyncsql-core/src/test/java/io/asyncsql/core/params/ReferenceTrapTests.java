package io.asyncsql.core.params;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parameter-handling mistakes of the reference implementation, each run against the real server: text
 * replacement inside literals and comments, broken casts, JSON operators taken for markers, values that look like
 * SQL or markers, hints corrupting {@code $10}/{@code $11}, and wrong row counts.
 */
class ReferenceTrapTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static final Map<TransactionMode, AsyncSqlNode> nodes = new LinkedHashMap<>();

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("traps");
		schema.sql("CREATE TABLE people (id bigint PRIMARY KEY, name text)",
				"CREATE TABLE archive (id bigint, name text)",
				"CREATE TABLE docs (id bigint PRIMARY KEY, doc jsonb)");
		for (TransactionMode mode : TransactionMode.values()) {
			nodes.put(mode, AsyncSqlNode.builder(schema.node("traps_" + mode.name().toLowerCase()).transactionMode(mode)
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
		schema.sql("TRUNCATE people, archive, docs",
				"INSERT INTO docs VALUES (1, '{\"a\": 1, \"b\": 2}'), (2, '{\"b\": 3}'), (3, '{\"c\": 4}')");
	}

	private static AsyncSqlNode node() {
		return nodes.get(TransactionMode.AUTO);
	}

	private static Map<String, Object> one(String sql, Map<String, ?> params) {
		return node().execute(sql, params).block(WAIT).one();
	}

	// ---------------------------------------------------------------- :name where it is not a parameter

	@Test
	void nameInsideASingleQuotedStringIsLeftAlone() {
		assertThat(one("SELECT ':id' AS a, 'it''s :id' AS b, :id AS p", Map.of("id", 5)))
			.containsEntry("a", ":id").containsEntry("b", "it's :id").containsEntry("p", 5);
	}

	@Test
	void nameInsideAnEscapeStringIsLeftAlone() {
		assertThat(one("SELECT E'it\\'s :id\\n' AS e, e':id' AS f, :id AS p, E'\\\\' AS g", Map.of("id", 5)))
			.containsEntry("e", "it's :id\n").containsEntry("f", ":id").containsEntry("p", 5).containsEntry("g", "\\");
		assertThat(node().execute("SELECT E'\\'$1\\'' AS e, $1::int AS p", List.of(5)).block(WAIT).one())
			.containsEntry("e", "'$1'").containsEntry("p", 5);
	}

	@Test
	void nameInsideADollarQuotedBodyIsLeftAlone() {
		assertThat(one("SELECT $$ :id 'x' $$ AS d, $fn$ :id $$ still :id $fn$ AS t, :id AS p", Map.of("id", 5)))
			.containsEntry("d", " :id 'x' ").containsEntry("t", " :id $$ still :id ").containsEntry("p", 5);
	}

	@Test
	void nameInsideAQuotedIdentifierIsLeftAlone() {
		QueryResult result = node().execute("SELECT :id AS \":id\", 1 AS \"a:b\"", Map.of("id", 5)).block(WAIT);
		assertThat(result.columns()).containsExactly(":id", "a:b");
		assertThat(result.one()).containsEntry(":id", 5);
	}

	@Test
	void nameInsideCommentsIsLeftAlone() {
		assertThat(one("SELECT /* :id /* nested :id */ still :id */ :id AS p -- trailing :id\n, 2 AS q -- :q",
				Map.of("id", 5))).containsEntry("p", 5).containsEntry("q", 2);
	}

	// ---------------------------------------------------------------- casts and operators

	@Test
	void castsStayIntact() {
		assertThat(one("SELECT '5'::int AS a, :v::int AS b, CAST(:v AS text) AS c, '{1,2}'::int[] AS d, "
				+ "(ARRAY[1,2,3])[2:3] AS e, :v::int::text AS f", Map.of("v", "7")))
			.containsEntry("a", 5).containsEntry("b", 7).containsEntry("c", "7").containsEntry("d", List.of(1, 2))
			.containsEntry("e", List.of(2, 3)).containsEntry("f", "7");
	}

	@Test
	void parameterNamedTextBesideACastToText() {
		assertThat(one("SELECT 'a'::text AS a, :text AS t, :text::text AS u, 'b'::text || :text AS v",
				Map.of("text", "x"))).containsEntry("a", "a").containsEntry("t", "x").containsEntry("u", "x")
			.containsEntry("v", "bx");
	}

	@Test
	void jsonOperatorsInTheSqlAreNotMarkers() {
		assertThat(node().execute("SELECT id FROM docs WHERE doc ? 'a'").block(WAIT).rows()).hasSize(1);
		assertThat(node().execute("SELECT id FROM docs WHERE doc ? :key ORDER BY id", Map.of("key", "b")).block(WAIT)
			.rows()).extracting(row -> row.get("id")).containsExactly(1L, 2L);
		assertThat(node().execute("SELECT id FROM docs WHERE doc ?| :keys ORDER BY id", Map.of("keys", List.of("a", "c")))
			.block(WAIT).rows()).extracting(row -> row.get("id")).containsExactly(1L, 3L);
		assertThat(node().execute("SELECT id FROM docs WHERE doc ?& :keys ORDER BY id", Map.of("keys", List.of("a", "b")))
			.block(WAIT).rows()).extracting(row -> row.get("id")).containsExactly(1L);
		assertThat(node().execute("SELECT id FROM docs WHERE doc ?| array['c'] AND doc ?& array['c']").block(WAIT).rows())
			.extracting(row -> row.get("id")).containsExactly(3L);
	}

	@Test
	void jsonOperatorsBesidePositionalMarkers() {
		assertThat(node().execute("SELECT id FROM docs WHERE doc ? $1 AND doc ?| $2 AND NOT doc ?& $3",
				List.of("b", List.of("a"), List.of("a", "c"))).block(WAIT).rows()).extracting(row -> row.get("id"))
			.containsExactly(1L);
	}

	// ---------------------------------------------------------------- values that look like SQL or markers

	@ParameterizedTest
	@ValueSource(strings = { "O'Brien", "?", "$1", "%s", ":x", "::text", "?|", "'; DROP TABLE people; --",
			"back\\slash", "\"quoted\"", "$$", "/* c */", "-- c", "{1,2}", "NULL", "", "line\nbreak", "ünïcødé ✓" })
	void specialCharactersRoundTripUnchanged(String value) {
		node().execute("INSERT INTO people (id, name) VALUES (:id, :name)", Map.of("id", 1, "name", value)).block(WAIT);
		assertThat(schema.scalar("SELECT name FROM people WHERE id = 1")).isEqualTo(value);
		assertThat(one("SELECT id, name FROM people WHERE name = :name", Map.of("name", value)))
			.containsEntry("id", 1L).containsEntry("name", value);
		assertThat(node().execute("SELECT $1::text AS v", List.of(value)).block(WAIT).one()).containsEntry("v", value);
	}

	@Test
	void specialCharactersInArrayAndJsonValuesRoundTrip() {
		List<String> values = List.of("O'Brien", "?", "$1", "%s", ":x", "a,b", "{c}", "\"d\"");
		assertThat(one("SELECT :v::text[] AS arr, :doc AS doc", Map.of("v", values, "doc", Map.of("k", values))))
			.containsEntry("arr", values).containsEntry("doc", Map.of("k", values));
	}

	// ---------------------------------------------------------------- many parameters with hints

	@Test
	void hintOnTheFirstOfElevenParametersLeavesTheTenthAndEleventhAlone() {
		Map<String, Object> params = new LinkedHashMap<>();
		StringBuilder sql = new StringBuilder("SELECT ");
		for (int i = 1; i <= 11; i++) {
			sql.append((i > 1) ? ", " : "").append(":p").append(i).append(" AS c").append(i);
			params.put("p" + i, (i == 1) ? "first" : i);
		}
		Map<String, Object> row = node().execute(Query.of(sql.toString()).params(params)
			.parameterTypes(Map.of("p1", "text", "p11", "bigint"))).block(WAIT).one();
		assertThat(row).containsEntry("c1", "first").containsEntry("c10", 10).containsEntry("c11", 11L)
			.containsEntry("c2", 2);
	}

	// ---------------------------------------------------------------- row counts

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void insertReportsRowsAffected(TransactionMode mode) {
		QueryResult insert = nodes.get(mode).execute("INSERT INTO people (id, name) VALUES (:a, 'x'), (:b, 'y'), (:c, 'z')",
				Map.of("a", 1, "b", 2, "c", 3)).block(WAIT);
		assertThat(insert.rowCount()).isEqualTo(3);
		assertThat(insert.toMap()).extractingByKey("result").asInstanceOf(
				org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("row_count", 3L);
		assertThat(schema.scalar("SELECT count(*) FROM people")).isEqualTo(3L);
	}

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void insertSelectReportsRowsAffected(TransactionMode mode) {
		schema.sql("INSERT INTO people SELECT g, 'p' || g FROM generate_series(1, 25) g");
		QueryResult copy = nodes.get(mode).execute("INSERT INTO archive (id, name) SELECT id, name FROM people "
				+ "WHERE id > :min", Map.of("min", 5)).block(WAIT);
		assertThat(copy.rowCount()).isEqualTo(20);
		assertThat(schema.scalar("SELECT count(*) FROM archive")).isEqualTo(20L);
	}

}
