package io.asyncsql.core.validation;

import io.asyncsql.core.sql.SqlLexer;
import io.asyncsql.core.sql.SqlSyntax;
import io.asyncsql.core.sql.SqlTemplateCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SessionStateCheckTests {

	private static final SqlTemplateCache TEMPLATES = new SqlTemplateCache(new SqlLexer(SqlSyntax.POSTGRESQL), 64);

	private final SessionStateCheck check = new SessionStateCheck(64);

	private Violation check(String sql) {
		return this.check.check(TEMPLATES.get(sql));
	}

	@ParameterizedTest
	@ValueSource(strings = { "LISTEN jobs", "  unlisten *", "/* hi */ SET search_path = app", "set time zone 'UTC'",
			"SET SESSION work_mem = '64MB'", "RESET work_mem", "SELECT pg_advisory_lock(1)",
			"SELECT \"pg_advisory_lock\"(1)", "SELECT x FROM t WHERE pg_try_advisory_lock_shared(t.id)",
			"SELECT pg_advisory_unlock(1, 2)", "SELECT set_config('a.b', 'c', false)", "SELECT set_config('a.b', :v, :l)",
			"PREPARE q (int) AS SELECT $1", "EXECUTE q(1)", "DEALLOCATE q",
			"DECLARE c SCROLL CURSOR WITH HOLD FOR SELECT 1", "CREATE TEMP TABLE t (id int)",
			"CREATE LOCAL TEMPORARY TABLE t AS SELECT 1", "CREATE TEMPORARY TABLE t (id int) ON COMMIT PRESERVE ROWS" })
	void sessionStateIsRefused(String sql) {
		Violation violation = check(sql);
		assertThat(violation).as(sql).isNotNull();
		assertThat(violation.rule()).isEqualTo(ValidationRule.SESSION_STATE);
		assertThat(violation.detail()).contains("outlives its transaction").contains("transaction-pooling proxy");
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT 'LISTEN x' AS a", "SELECT 1 -- SET a = 1", "SET LOCAL statement_timeout = 500",
			"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "SET CONSTRAINTS ALL DEFERRED",
			"SELECT pg_advisory_xact_lock(1)", "SELECT pg_try_advisory_xact_lock(1, 2)",
			"SELECT set_config('a.b', 'c', true)", "DECLARE c CURSOR FOR SELECT 1",
			"CREATE TEMP TABLE t (id int) ON COMMIT DROP", "CREATE TABLE listen (set int)",
			"UPDATE t SET reset = 1 WHERE id = :id", "PREPARE TRANSACTION 'x'", "SELECT pg_advisory_lock_count FROM t",
			"NOTIFY jobs, 'ready'", "" })
	void transactionScopedFormsPass(String sql) {
		assertThat(check(sql)).as(sql).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "SELECT pg_advisory_lock(1)" })
	void verdictsAreCachedByText(String sql) {
		assertThat(check(sql)).isSameAs(check(sql));
	}

}
