package io.asyncsql.core.conformance;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.test.MariaDbSchema;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbConformanceTests extends DialectConformanceTests {

	@Override
	protected TestTarget createTarget() {
		return MariaDbSchema.create("conform");
	}

	@Override
	protected String slowStatement() {
		return "SELECT SLEEP(5)";
	}

	@Override
	protected String dangerousStatement() {
		return "SELECT BENCHMARK(1000000, MD5('x'))";
	}

	@Test
	void noArraysJsonAsTextAndHintsIgnored() {
		assertThatThrownBy(() -> auto().execute("SELECT id FROM accounts WHERE id = ANY(:ids)",
				Map.of("ids", List.of(1L))).block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("no array type")
			.hasMessageContaining("IN (:list)");
		this.target.sql("CREATE TABLE docs (id int PRIMARY KEY, doc json)");
		try {
			auto().execute("INSERT INTO docs VALUES (1, :doc)", Map.of("doc", Map.of("k", 1))).block(WAIT);
			assertThat(auto().execute("SELECT JSON_VALUE(doc, '$.k') AS k, doc FROM docs").block(WAIT).one())
				.containsEntry("k", "1").containsEntry("doc", "{\"k\":1}");
		}
		finally {
			this.target.sql("DROP TABLE docs");
		}
		assertThat(auto().execute(Query.of("SELECT owner FROM accounts WHERE id = :id").param("id", 1)
			.parameterTypes(Map.of("id", "bigint"))).block(WAIT).one()).containsEntry("owner", "ada");
	}

}
