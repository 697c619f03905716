package io.asyncsql.sample.schema;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Splitting schema scripts into the statements a node runs one at a time.
 */
class SqlScriptTests {

	@Test
	void statementsEndWithASemicolonAtALineEndAndCommentLinesAreDropped() {
		SqlScript script = SqlScript.parse("""
				-- a comment; with a semicolon;
				CREATE TABLE a (
				    x text DEFAULT 'a;b'
				);

				CREATE INDEX i ON a (x);
				SELECT 1""");
		assertThat(script.statements()).containsExactly("CREATE TABLE a (\n    x text DEFAULT 'a;b'\n)",
				"CREATE INDEX i ON a (x)", "SELECT 1");
	}

	@Test
	void thePostgresqlScriptIsSixIdempotentStatements() {
		SqlScript script = SqlScript.read(new ClassPathResource("schema-postgresql.sql"));
		assertThat(script.statements()).hasSize(6)
			.allSatisfy(statement -> assertThat(statement).containsPattern("^CREATE (TABLE|INDEX) IF NOT EXISTS "))
			.allSatisfy(statement -> assertThat(statement).doesNotContain(";", "--"));
	}

}
