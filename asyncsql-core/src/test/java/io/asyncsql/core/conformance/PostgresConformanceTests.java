package io.asyncsql.core.conformance;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.Query;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresConformanceTests extends DialectConformanceTests {

	@Override
	protected TestTarget createTarget() {
		return PostgresSchema.create("conform");
	}

	@Override
	protected String slowStatement() {
		return "SELECT pg_sleep(5)";
	}

	@Override
	protected String dangerousStatement() {
		return "SELECT pg_sleep(1)";
	}

	@Test
	void noticesAndWarningsDoNotFailTheStatement() {
		try (AsyncSqlNode admin = AsyncSqlNode.builder(this.target.node("notices").allowAdmin(true).build()).build()) {
			// "relation already exists, skipping" is a NOTICE
			assertThat(admin.execute("CREATE TABLE IF NOT EXISTS archive (id bigint)").block(WAIT).rowCount()).isZero();
			admin.execute("CREATE FUNCTION noisy() RETURNS int LANGUAGE plpgsql AS "
					+ "$$ BEGIN RAISE NOTICE 'hello'; RAISE WARNING 'careful'; RETURN 7; END $$").block(WAIT);
			assertThat(auto().execute("SELECT noisy() AS n").block(WAIT).one()).containsEntry("n", 7);
			assertThat(auto().stream("SELECT noisy() AS n", Map.of()).collectList().block(WAIT)).hasSize(1);
		}
	}

	@Test
	void arraysJsonAndTypeHints() {
		assertThat(auto().execute("SELECT id FROM accounts WHERE id = ANY(:ids) ORDER BY id", Map.of("ids", List.of(1L, 2L)))
			.block(WAIT).rows()).hasSize(2);
		assertThat(auto().execute("SELECT :tags::text[] AS tags", Map.of("tags", List.of("a", "b"))).block(WAIT).one())
			.containsEntry("tags", List.of("a", "b"));
		assertThat(auto().execute("SELECT :doc::jsonb AS doc", Map.of("doc", Map.of("k", 1))).block(WAIT).one())
			.containsEntry("doc", Map.of("k", 1));
		assertThat(auto().execute(Query.of("SELECT :n AS n").param("n", "42").parameterTypes(Map.of("n", "integer")))
			.block(WAIT).one()).containsEntry("n", 42);
	}

}
