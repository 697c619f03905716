package io.asyncsql.core.conformance;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.Query;
import io.asyncsql.test.H2Database;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class H2ConformanceTests extends DialectConformanceTests {

	@Override
	protected TestTarget createTarget() {
		return H2Database.create("conform");
	}

	@Override
	protected String slowStatement() {
		// a cross join of 400 million rows, far beyond half a second
		return "SELECT SUM(a.\"X\" * b.\"X\") FROM SYSTEM_RANGE(1, 20000) a, SYSTEM_RANGE(1, 20000) b";
	}

	@Override
	protected String dangerousStatement() {
		return "SELECT FILE_READ('/etc/passwd')";
	}

	@Test
	void arraysJsonAndTypeHints() {
		assertThat(auto().execute("SELECT id FROM accounts WHERE id = ANY(:ids) ORDER BY id", Map.of("ids", List.of(1L, 2L)))
			.block(WAIT).rows()).hasSize(2);
		this.target.sql("CREATE TABLE docs (id int PRIMARY KEY, tags varchar ARRAY, doc json)");
		try {
			auto().execute("INSERT INTO docs VALUES (1, :tags, :doc)", Map.of("tags", List.of("a", "b"), "doc",
					Map.of("k", 1))).block(WAIT);
			assertThat(auto().execute("SELECT tags, doc FROM docs").block(WAIT).one()).containsEntry("tags",
					List.of("a", "b")).containsEntry("doc", Map.of("k", 1));
		}
		finally {
			this.target.sql("DROP TABLE docs");
		}
		assertThat(auto().execute(Query.of("SELECT :n AS n").param("n", "42").parameterTypes(Map.of("n", "integer")))
			.block(WAIT).one()).containsEntry("n", 42);
	}

}
