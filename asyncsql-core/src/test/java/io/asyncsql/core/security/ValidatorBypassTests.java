package io.asyncsql.core.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The validator bypasses found with real-world SQL, each tried on the PostgreSQL server through a node without
 * {@code allow-admin}: none reaches the server, and the shapes {@code allow-admin} exists for run as one statement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorBypassTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private PostgresSchema schema;

	private AsyncSqlNode guarded;

	private AsyncSqlNode admin;

	@BeforeAll
	void createNodes() {
		this.schema = PostgresSchema.create("bypass");
		this.schema.sql("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
		this.guarded = AsyncSqlNode.builder(this.schema.node("guarded").build()).build();
		this.admin = AsyncSqlNode.builder(this.schema.node("admin").allowAdmin(true).build()).build();
	}

	@AfterAll
	void close() {
		this.guarded.close();
		this.admin.close();
		this.schema.close();
	}

	@Test
	void codeAfterAContinuedEscapeStringIsSeen() {
		assertRefused("SELECT 1 WHERE 1 = 1 AND E'a'\n'\\'' <> '' AND 1=(SELECT 1 FROM pg_sleep(2)) -- '",
				"dangerous_function");
		assertRefused("SELECT 1 WHERE 1 = 1 AND E'a'\n'\\'' <> '' ;DROP TABLE t -- '", "multiple_statements");
		assertThat(this.schema.count("SELECT count(*) FROM t")).isEqualTo(1);
		// the same literal as a value: the server reads what the lexer reads
		assertThat(this.guarded.execute("SELECT E'a'\n'\\'' AS v").block(WAIT).one()).containsEntry("v", "a'");
	}

	@Test
	void settingsThatChangeHowSqlIsReadAreRefusedEvenWithAllowAdmin() {
		for (AsyncSqlNode node : List.of(this.guarded, this.admin)) {
			for (String sql : List.of("SET standard_conforming_strings = off", "SET backslash_quote = on",
					"SET client_encoding = 'SJIS'", "SELECT set_config('standard_conforming_strings', 'off', false)",
					"UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'")) {
				assertThatThrownBy(() -> node.execute(sql).block(WAIT)).isInstanceOf(QueryValidationException.class)
					.hasMessageContaining("rule lexical_setting");
			}
		}
		// so a backslash never ends a standard string on any pooled connection
		assertThat(this.admin.execute("SELECT '\\' AS v").block(WAIT).one()).containsEntry("v", "\\");
	}

	@Test
	void everySessionReadsStandardStringsWhateverTheRoleDefault() {
		String role = "asyncsql_lexer_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		this.schema.sql("CREATE ROLE " + role + " LOGIN", "ALTER ROLE " + role + " SET standard_conforming_strings = off",
				"GRANT USAGE ON SCHEMA " + this.schema.name() + " TO " + role);
		ConnectionSettings connection = new ConnectionSettings(DatabaseType.POSTGRESQL, null,
				this.schema.database().host(), this.schema.database().port(), this.schema.database().database(), role,
				null, null, Map.of("search_path", this.schema.name()));
		try (AsyncSqlNode node = AsyncSqlNode.builder(this.schema.node("role_default").connection(connection).build())
			.build()) {
			QueryResult result = node.execute("SELECT current_setting('standard_conforming_strings') AS scs, "
					+ "'\\' AS v, current_user AS who").block(WAIT);
			assertThat(result.one()).containsEntry("scs", "on").containsEntry("v", "\\").containsEntry("who", role);
		}
		finally {
			this.schema.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
			this.schema.sql("DROP OWNED BY " + role, "DROP ROLE IF EXISTS " + role);
		}
	}

	@Test
	void identityAndServerAdministrationFunctionsNeedAllowAdmin() {
		String user = String.valueOf(this.schema.scalar("SELECT current_user"));
		for (String sql : List.of("SELECT set_config('role', '" + user + "', false)",
				"SELECT set_config('session_authorization', '" + user + "', false)", "SELECT pg_stat_reset()",
				"SELECT pg_cancel_backend(0)", "SELECT pg_log_backend_memory_contexts(0)", "SELECT pg_reload_conf()",
				"SELECT pg_replication_origin_create('asyncsql_never')", "SELECT lo_unlink(0)")) {
			assertRefused(sql, "admin_statement");
		}
		assertThat(this.admin.execute("SELECT set_config('role', current_user, true) AS r").block(WAIT).one())
			.containsEntry("r", user);
		assertThat(this.admin.execute("SELECT pg_cancel_backend(0) AS c").block(WAIT).one()).containsEntry("c", false);
		// an application setting stays a plain call
		assertThat(this.guarded.execute("SELECT set_config('app.tenant', :t, false) AS v", Map.of("t", "acme"))
			.block(WAIT).one()).containsEntry("v", "acme");
	}

	@Test
	void aMarkerBeyondIntIsAReactiveBindingError() {
		Mono<QueryResult>[] calls = new Mono[3];
		assertThatCode(() -> {
			calls[0] = this.guarded.execute("SELECT $2147483648", Map.of());
			calls[1] = this.guarded.execute("SELECT $2147483648", List.of(1));
			calls[2] = this.guarded.execute(Query.of("SELECT $99999999999999999999").positional(List.of(1)));
		}).doesNotThrowAnyException();
		for (Mono<QueryResult> call : calls) {
			assertThatThrownBy(() -> call.block(WAIT)).isInstanceOf(ParameterBindingException.class);
		}
		assertThatThrownBy(() -> calls[1].block(WAIT)).hasMessageContaining("max-bind-values");
		assertThatCode(() -> this.guarded.stream("SELECT $2147483648", Map.of())).doesNotThrowAnyException();
		assertThatCode(() -> this.guarded.executeMany("SELECT $2147483648", List.of(Map.of())))
			.doesNotThrowAnyException();
	}

	@Test
	void atomicBodiesAndRuleActionListsRunAsOneStatementWithAllowAdmin() {
		this.admin.execute("CREATE TABLE audit (note text)").block(WAIT);
		this.admin.execute("CREATE FUNCTION add_two(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC "
				+ "INSERT INTO audit VALUES ('add'); SELECT CASE WHEN a > 0 THEN a + 2 ELSE 0 END; END").block(WAIT);
		assertThat(this.admin.execute("SELECT add_two(1) AS v").block(WAIT).one()).containsEntry("v", 3);
		this.admin.execute("CREATE RULE t_log AS ON INSERT TO t DO ALSO (INSERT INTO audit VALUES ('one'); "
				+ "INSERT INTO audit VALUES ('two'))").block(WAIT);
		this.admin.execute("INSERT INTO t VALUES (2)").block(WAIT);
		assertThat(this.schema.query("SELECT note FROM audit ORDER BY note")).containsExactly(List.of("add"),
				List.of("one"), List.of("two"));
		assertRefused("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END", "admin_statement");
		assertThatThrownBy(() -> this.admin.execute("CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC "
				+ "SELECT 1; END; DROP TABLE t").block(WAIT)).hasMessageContaining("rule multiple_statements");
		this.admin.execute("DROP RULE t_log ON t").block(WAIT);
		this.admin.execute("DELETE FROM t WHERE id = 2").block(WAIT);
	}

	private void assertRefused(String sql, String rule) {
		assertThatThrownBy(() -> this.guarded.execute(sql).block(WAIT)).isInstanceOf(QueryValidationException.class)
			.hasMessageContaining("rule " + rule);
	}

}
