package io.asyncsql.core.params;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.BatchResult;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.node.DefaultAsyncSqlNode;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Type hints ({@code parameter-types} on the node, {@link Query#parameterTypes} per query) against the real server,
 * including the seed's {@code jsonb_build_object} and {@code COALESCE} examples run as written.
 */
class TypeHintTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	/** A node configured like the seed's "configuration-based type hints" example. */
	private static AsyncSqlNode hinted;

	private static AsyncSqlNode plain;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("hints");
		schema.sql("CREATE TYPE status AS ENUM ('active', 'blocked')",
				"CREATE TABLE audit_logs (id bigserial PRIMARY KEY, action text, details jsonb, created_by text)",
				"CREATE TABLE users (user_id text PRIMARY KEY, preferences jsonb, status status)",
				"CREATE TABLE documents (id bigserial PRIMARY KEY, metadata jsonb, role_id uuid, created_at timestamptz)",
				"CREATE TABLE wide (c1 integer, c2 bigint, c3 text, c4 numeric, c5 date, c6 uuid, c7 jsonb, c8 boolean, "
						+ "c9 double precision, c10 timestamptz, c11 text[], c12 smallint, c13 inet)");
		hinted = AsyncSqlNode.builder(schema.node("hinted")
			.parameterTypes(Map.of("metadata", "jsonb", "role_id", "uuid", "created_at", "timestamptz"))
			.build()).build();
		plain = AsyncSqlNode.builder(schema.node("plain").build()).build();
	}

	@AfterAll
	static void dropSchema() {
		hinted.close();
		plain.close();
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		schema.sql("TRUNCATE audit_logs, users, documents, wide");
	}

	private static String typeOf(AsyncSqlNode node, Query query) {
		return (String) node.execute(query).block(WAIT).one().get("t");
	}

	/** What the node's binder sends for a query, to see the casts it adds. */
	private static String rendered(AsyncSqlNode node, String sql, Map<String, ?> params, Map<String, String> queryHints) {
		DefaultAsyncSqlNode target = (DefaultAsyncSqlNode) node;
		BoundStatement bound = target.dialect().binder().bindNamed(target.dialect().templates().get(sql), params,
				node.settings().parameterTypes(), queryHints, node.name(), 65535);
		return bound.sql();
	}

	// ---------------------------------------------------------------- precedence

	@Test
	void nodeHintsApplyToEveryQuery() {
		String metadata = "{\"source\": \"import\"}";
		String roleId = "6f1c5bfe-4d41-4b8e-9d5e-3c1c1f0f0a11";
		// strings would be varchar without the hints: the node's hints make them jsonb, uuid and timestamptz
		hinted.execute("INSERT INTO documents (metadata, role_id, created_at) VALUES (:metadata, :role_id, :created_at)",
				Map.of("metadata", metadata, "role_id", roleId, "created_at", "2024-01-01T10:00:00Z")).block(WAIT);
		Map<String, Object> row = plain.execute("SELECT metadata, role_id, created_at FROM documents").block(WAIT).one();
		assertThat(row.get("metadata")).isEqualTo(Map.of("source", "import"));
		assertThat(row.get("role_id")).isEqualTo(UUID.fromString(roleId));
		assertThat(((OffsetDateTime) row.get("created_at")).toInstant()).hasToString("2024-01-01T10:00:00Z");
		assertThat(typeOf(hinted, Query.of("SELECT pg_typeof(:role_id)::text AS t").param("role_id", roleId)))
			.isEqualTo("uuid");
	}

	@Test
	void queryHintsWinOverNodeHints() {
		Query query = Query.of("SELECT pg_typeof(:role_id)::text AS t")
			.param("role_id", "6f1c5bfe-4d41-4b8e-9d5e-3c1c1f0f0a11");
		assertThat(typeOf(plain, query)).isEqualTo("character varying");
		assertThat(typeOf(hinted, query)).isEqualTo("uuid");
		assertThat(typeOf(hinted, query.parameterTypes(Map.of("role_id", "text")))).isEqualTo("text");
	}

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void hintsApplyInEveryTransactionModeAndInsideTransactions(TransactionMode mode) {
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("hinted_" + mode.name().toLowerCase())
			.transactionMode(mode)
			.parameterTypes(Map.of("role_id", "uuid"))
			.build()).build()) {
			Query query = Query.of("SELECT pg_typeof(:role_id)::text AS t, pg_typeof(:n)::text AS n")
				.params(Map.of("role_id", "6f1c5bfe-4d41-4b8e-9d5e-3c1c1f0f0a11", "n", 1))
				.parameterTypes(Map.of("n", "numeric"));
			assertThat(node.execute(query).block(WAIT).one()).containsEntry("t", "uuid").containsEntry("n", "numeric");
			Map<String, Object> inTransaction = node.inTransaction(tx -> tx.execute(query)).blockLast(WAIT).one();
			assertThat(inTransaction).containsEntry("t", "uuid").containsEntry("n", "numeric");
			assertThat(node.stream(query).blockFirst(WAIT)).containsEntry("t", "uuid").containsEntry("n", "numeric");
		}
	}

	@Test
	void nodeHintsApplyToBatches() {
		BatchResult result = hinted.executeMany("INSERT INTO documents (metadata, role_id) VALUES (:metadata, :role_id)",
				List.of(Map.of("metadata", new Tag("a", 1), "role_id", new UUID(0, 1).toString()),
						Map.of("metadata", new Tag("b", 2), "role_id", new UUID(0, 2).toString())))
			.block(WAIT);
		assertThat(result).isEqualTo(new BatchResult(2, 2));
		assertThat(schema.query("SELECT metadata->>'name', role_id::text FROM documents ORDER BY 1"))
			.containsExactly(List.of("a", new UUID(0, 1).toString()), List.of("b", new UUID(0, 2).toString()));
	}

	record Tag(String name, int weight) {
	}

	// ---------------------------------------------------------------- the seed's examples, run as written

	@Test
	void seedJsonbBuildObjectExample() {
		QueryResult result = plain.execute(Query.of("""
				INSERT INTO audit_logs (action, details, created_by)
				VALUES (
				    :action,
				    jsonb_build_object(
				        'role_id', :role_id,
				        'granted_by', :granted_by,
				        'permissions', :permissions::jsonb
				    ),
				    :created_by
				)
				""")
			.params(Map.of("action", "role_assigned", "role_id", "admin", "granted_by", "system", "permissions",
					"[\"read\", \"write\", \"delete\"]", "created_by", "system"))
			.parameterTypes(Map.of("action", "text", "role_id", "text", "granted_by", "text", "permissions", "jsonb",
					"created_by", "text")))
			.block(WAIT);
		assertThat(result.rowCount()).isEqualTo(1);
		Map<String, Object> row = plain.execute("SELECT action, details, created_by FROM audit_logs").block(WAIT).one();
		assertThat(row).containsEntry("action", "role_assigned").containsEntry("created_by", "system");
		assertThat(row.get("details")).isEqualTo(Map.of("role_id", "admin", "granted_by", "system", "permissions",
				List.of("read", "write", "delete")));
	}

	@Test
	void seedJsonbBuildObjectExampleSendsEachCastOnce() {
		String sql = "SELECT jsonb_build_object('role_id', :role_id, 'permissions', :permissions::jsonb)";
		assertThat(rendered(plain, sql, Map.of("role_id", "admin", "permissions", "[]"),
				Map.of("role_id", "text", "permissions", "jsonb")))
			.isEqualTo("SELECT jsonb_build_object('role_id', $1::text, 'permissions', $2::jsonb)");
	}

	@Test
	void jsonbBuildObjectWithUntypedNullNeedsTheHint() {
		Map<String, Object> params = new HashMap<>();
		params.put("granted_by", null);
		Map<String, Object> row = plain.execute(Query.of("SELECT jsonb_build_object('granted_by', :granted_by) AS d")
			.params(params)
			.parameterTypes(Map.of("granted_by", "text"))).block(WAIT).one();
		Map<String, Object> expected = new HashMap<>();
		expected.put("granted_by", null);
		assertThat(row.get("d")).isEqualTo(expected);
	}

	@Test
	void seedCoalesceExample() {
		schema.sql("INSERT INTO users (user_id, preferences) VALUES ('user123', NULL), ('other', '{\"theme\": \"dark\"}')");
		QueryResult result = plain.execute(Query.of("""
				UPDATE users
				SET preferences = jsonb_set(
				    COALESCE(preferences, '{}'),
				    '{notifications}',
				    :settings::jsonb
				)
				WHERE user_id = :user_id
				""")
			.params(Map.of("settings", "{\"email\": true, \"sms\": false}", "user_id", "user123"))
			.parameterTypes(Map.of("settings", "jsonb", "user_id", "text")))
			.block(WAIT);
		assertThat(result.rowCount()).isEqualTo(1);
		assertThat(plain.execute("SELECT preferences FROM users WHERE user_id = :id", Map.of("id", "user123")).block(WAIT)
			.one()
			.get("preferences")).isEqualTo(Map.of("notifications", Map.of("email", true, "sms", false)));
		assertThat(schema.scalar("SELECT preferences::text FROM users WHERE user_id = 'other'"))
			.isEqualTo("{\"theme\": \"dark\"}");
	}

	@Test
	void coalesceWithHintedNullFallsBack() {
		Map<String, Object> params = new HashMap<>();
		params.put("limit", null);
		assertThat(plain.execute(Query.of("SELECT COALESCE(:limit, 10) + 1 AS n").params(params)
			.parameterTypes(Map.of("limit", "integer"))).block(WAIT).one()).containsEntry("n", 11);
	}

	// ---------------------------------------------------------------- many parameters, awkward names

	@Test
	void twelveHintedParametersKeepTheirOwnMarkers() {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("c1", "1");
		params.put("c2", String.valueOf(1L << 40));
		params.put("c3", "three");
		params.put("c4", "4.50");
		params.put("c5", "2024-05-05");
		params.put("c6", "00000000-0000-0000-0000-000000000006");
		params.put("c7", Map.of("seven", 7));
		params.put("c8", "true");
		params.put("c9", "9.5");
		params.put("c10", "2024-01-01T10:00:00Z");
		params.put("c11", List.of("e", "leven"));
		params.put("c12", "12");
		params.put("c13", "10.0.0.13");
		Map<String, String> hints = Map.ofEntries(Map.entry("c1", "integer"), Map.entry("c2", "bigint"),
				Map.entry("c3", "text"), Map.entry("c4", "numeric(10,2)"), Map.entry("c5", "date"), Map.entry("c6", "uuid"),
				Map.entry("c7", "jsonb"), Map.entry("c8", "boolean"), Map.entry("c9", "double precision"),
				Map.entry("c10", "timestamp with time zone"), Map.entry("c11", "text[]"), Map.entry("c12", "smallint"),
				Map.entry("c13", "inet"));
		String sql = "INSERT INTO wide VALUES (:c1, :c2, :c3, :c4, :c5, :c6, :c7, :c8, :c9, :c10, :c11, :c12, :c13)";
		assertThat(rendered(plain, sql, params, hints)).isEqualTo("INSERT INTO wide VALUES ($1::integer, $2::bigint, "
				+ "$3::text, $4::numeric(10,2), $5::date, $6::uuid, $7::jsonb, $8::boolean, $9::double precision, "
				+ "$10::timestamp with time zone, $11::text[], $12::smallint, $13::inet)");
		assertThat(plain.execute(Query.of(sql).params(params).parameterTypes(hints)).block(WAIT).rowCount()).isEqualTo(1);
		Map<String, Object> row = plain.execute("SELECT * FROM wide").block(WAIT).one();
		assertThat(row).containsEntry("c1", 1).containsEntry("c2", 1L << 40).containsEntry("c3", "three")
			.containsEntry("c4", new BigDecimal("4.50")).containsEntry("c5", LocalDate.of(2024, 5, 5))
			.containsEntry("c6", new UUID(0, 6)).containsEntry("c7", Map.of("seven", 7)).containsEntry("c8", true)
			.containsEntry("c9", 9.5d).containsEntry("c11", List.of("e", "leven")).containsEntry("c12", (short) 12);
		assertThat(((OffsetDateTime) row.get("c10")).toInstant()).hasToString("2024-01-01T10:00:00Z");
		assertThat(schema.scalar("SELECT host(c13) FROM wide")).isEqualTo("10.0.0.13");
	}

	@Test
	void parametersNamedLikeTypesAndLiteralCastsToThoseTypes() {
		Map<String, Object> row = plain.execute(Query.of("SELECT 'a'::text AS a, :text AS t, :date AS d, "
				+ "'2024-01-01'::date AS lit, CAST(:integer AS text) AS i, :jsonb::text AS j")
			.params(Map.of("text", "b", "date", "2024-02-03", "integer", 5, "jsonb", Map.of("k", 1)))
			.parameterTypes(Map.of("text", "text", "date", "date"))).block(WAIT).one();
		assertThat(row).containsEntry("a", "a").containsEntry("t", "b").containsEntry("d", LocalDate.of(2024, 2, 3))
			.containsEntry("lit", LocalDate.of(2024, 1, 1)).containsEntry("i", "5").containsEntry("j", "{\"k\": 1}");
	}

	@Test
	void parameterAlreadyCastInTheSqlIsNotCastAgain() {
		Map<String, String> hints = Map.of("p", "jsonb", "q", "jsonb");
		assertThat(rendered(plain, "SELECT :p::jsonb, :q :: jsonb, :p", Map.of("p", "{}", "q", "[]"), hints))
			.isEqualTo("SELECT $1::jsonb, $2 :: jsonb, $1::jsonb");
		Map<String, Object> row = plain.execute(Query.of("SELECT :p::jsonb AS p, :q :: jsonb AS q")
			.params(Map.of("p", Map.of("a", 1), "q", List.of(1, 2)))
			.parameterTypes(hints)).block(WAIT).one();
		// the hint still chose how the value is converted: a list hinted jsonb is a JSON array
		assertThat(row).containsEntry("p", Map.of("a", 1)).containsEntry("q", List.of(1, 2));
	}

	@Test
	void hintOnAnInListCastsEveryElement() {
		schema.sql("INSERT INTO documents (role_id) VALUES ('00000000-0000-0000-0000-000000000001'), "
				+ "('00000000-0000-0000-0000-000000000002')");
		Query query = Query.of("SELECT count(*) AS n FROM documents WHERE role_id IN (:ids)")
			.param("ids", List.of("00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000009"))
			.parameterTypes(Map.of("ids", "uuid"));
		assertThat(plain.execute(query).block(WAIT).one()).containsEntry("n", 1L);
		assertThat(rendered(plain, query.sql(), query.params(), query.parameterTypes()))
			.endsWith("IN ($1::uuid, $2::uuid)");
	}

	@Test
	void hintedArraySubscriptStaysASubscript() {
		Query query = Query.of("SELECT :tags[2] AS second").param("tags", List.of("a", "b", "c"))
			.parameterTypes(Map.of("tags", "text[]"));
		assertThat(plain.execute(query).block(WAIT).one()).containsEntry("second", "b");
	}

	@Test
	void stringIntoAPostgresEnumWithItsTypeAsHint() {
		plain.execute(Query.of("INSERT INTO users (user_id, status) VALUES (:id, :status)")
			.params(Map.of("id", "u1", "status", "blocked"))
			.parameterTypes(Map.of("status", schema.name() + ".status"))).block(WAIT);
		assertThat(schema.scalar("SELECT status::text FROM users")).isEqualTo("blocked");
	}

	static Stream<Arguments> seedHintTable() {
		return Stream.of(argumentSet("text", "text", "abc", "text"), argumentSet("varchar", "varchar", "abc",
				"character varying"), argumentSet("integer", "integer", "42", "integer"),
				argumentSet("numeric", "numeric", "1.5", "numeric"), argumentSet("decimal", "decimal", "1.5", "numeric"),
				argumentSet("jsonb", "jsonb", Map.of("a", 1), "jsonb"), argumentSet("json", "json", List.of(1), "json"),
				argumentSet("timestamp", "timestamp", "2024-01-01 10:00", "timestamp without time zone"),
				argumentSet("timestamptz", "timestamptz", "2024-01-01 10:00Z", "timestamp with time zone"),
				argumentSet("date", "date", "2024-01-01", "date"), argumentSet("inet", "inet", "192.168.1.1", "inet"),
				argumentSet("macaddr", "macaddr", "08:00:2b:01:02:03", "macaddr"),
				argumentSet("uuid", "uuid", "6f1c5bfe-4d41-4b8e-9d5e-3c1c1f0f0a11", "uuid"),
				argumentSet("text[]", "text[]", List.of("a", "b"), "text[]"),
				argumentSet("integer[]", "integer[]", List.of(1, 2), "integer[]"));
	}

	@ParameterizedTest
	@MethodSource("seedHintTable")
	void everyTypeOfTheSeedsHintTableWorks(String hint, Object value, String pgType) {
		assertThat(typeOf(plain, Query.of("SELECT pg_typeof(:v)::text AS t").param("v", value)
			.parameterTypes(Map.of("v", hint)))).isEqualTo(pgType);
	}

	// ---------------------------------------------------------------- refusals

	@ParameterizedTest
	@ValueSource(strings = { "int); DROP TABLE users; --", "text OR true", "int union select 1", "jsonb--",
			"text/**/", "int)", "text'", "\"text\"", "", " text", "numeric(10,2", "text[1", "integer or 1" })
	void invalidQueryHintIsRefusedBeforeTheDatabase(String hint) {
		assertThatThrownBy(() -> plain.execute(Query.of("SELECT count(*) FROM users WHERE user_id = :id").param("id", "x")
			.parameterTypes(Map.of("id", hint))).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("id");
				assertThat(ex.getMessage()).contains("':id'").contains("not a PostgreSQL type name");
			});
	}

	@Test
	void invalidHintForAParameterTheQueryDoesNotUseIsRefusedToo() {
		assertThatThrownBy(() -> plain.execute(Query.of("SELECT 1").parameterTypes(Map.of("unused", "text; --")))
			.block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("':unused'");
	}

	@Test
	void invalidNodeHintFailsWhenTheNodeIsBuilt() {
		assertThatThrownBy(() -> AsyncSqlNode.builder(schema.node("bad_hints")
			.parameterTypes(Map.of("metadata", "jsonb", "owner", "text or true"))
			.build()).build())
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("parameter-types.owner")
			.hasMessageContaining("not a PostgreSQL type name");
	}

}
