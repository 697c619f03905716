package io.asyncsql.core.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTemplateTests {

	private final SqlLexer lexer = new SqlLexer(SqlSyntax.POSTGRESQL);

	private SqlTemplate parse(String sql) {
		return SqlTemplate.parse(sql, this.lexer);
	}

	@Test
	void distinctParametersInOrderOfFirstUse() {
		SqlTemplate template = parse("SELECT * FROM t WHERE a = :b OR c = :a OR d = :b");
		assertThat(template.parameterIndexes()).containsExactly(java.util.Map.entry("b", 0), java.util.Map.entry("a", 1));
		assertThat(template.placeholders()).hasSize(3);
	}

	@Test
	void castAfterParameterIsRecorded() {
		SqlTemplate template = parse("SELECT :p::jsonb, :q");
		assertThat(template.placeholders().get(0).castFollows()).isTrue();
		assertThat(template.placeholders().get(1).castFollows()).isFalse();
	}

	@Test
	void inListsAreRecognised() {
		SqlTemplate template = parse("SELECT 1 WHERE a IN ( :ids ) AND b NOT IN (:other) AND c = ANY(:arr)");
		Placeholder ids = template.placeholders().get(0);
		Placeholder other = template.placeholders().get(1);
		assertThat(ids.inList()).isTrue();
		assertThat(ids.negated()).isFalse();
		assertThat(other.inList()).isTrue();
		assertThat(other.negated()).isTrue();
		assertThat(template.placeholders().get(2).inList()).isFalse();
	}

	@Test
	void statementKinds() {
		assertThat(parse("SELECT 1").kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("  /* c */ (SELECT 1) UNION (SELECT 2)").kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("insert into t values (1)").kind()).isEqualTo(StatementKind.INSERT);
		assertThat(parse("UPDATE t SET a = 1").kind()).isEqualTo(StatementKind.UPDATE);
		assertThat(parse("DELETE FROM t").kind()).isEqualTo(StatementKind.DELETE);
		assertThat(parse("WITH x AS (SELECT 1) SELECT * FROM x").kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d").kind())
			.isEqualTo(StatementKind.DELETE);
		assertThat(parse("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r")
			.kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("WITH a AS MATERIALIZED (SELECT 1), b AS (INSERT INTO t VALUES (1) RETURNING id) SELECT 1")
			.kind()).isEqualTo(StatementKind.INSERT);
		assertThat(parse("CREATE TABLE t (id int)").kind()).isEqualTo(StatementKind.OTHER);
	}

	@Test
	void statementKindIsFoundAfterCommentsParenthesesEmptyStatementsAndCtes() {
		assertThat(parse("-- a\n/* b /* nested */ */ ((SELECT 1))").kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("; ;DELETE FROM t").kind()).isEqualTo(StatementKind.DELETE);
		assertThat(parse("/* c */ (WITH x AS (SELECT 1) SELECT * FROM x)").kind()).isEqualTo(StatementKind.SELECT);
		assertThat(parse("WITH \"odd name\" (a, b) AS NOT MATERIALIZED (SELECT 1, 2) UPDATE t SET a = 1").kind())
			.isEqualTo(StatementKind.UPDATE);
		assertThat(parse("WITH a AS (SELECT 1), b AS (WITH c AS (UPDATE t SET x = 1 RETURNING *) SELECT * FROM c) "
				+ "SELECT * FROM b").kind()).isEqualTo(StatementKind.UPDATE);
		assertThat(parse("WITH moved AS (DELETE FROM queue RETURNING *) INSERT INTO archive SELECT * FROM moved")
			.kind()).isEqualTo(StatementKind.DELETE);
		assertThat(parse("WITH i AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM i").readOnly()).isFalse();
	}

	@Test
	void searchAndCycleClausesOfRecursiveCtesAreSkipped() {
		StatementShape search = StatementShape.of(parse("WITH RECURSIVE r AS (SELECT 1 AS id) SEARCH DEPTH FIRST BY "
				+ "id, name SET ord, d AS (DELETE FROM t RETURNING *) SELECT * FROM r").tokens());
		assertThat(search.kind()).isEqualTo(StatementKind.DELETE);
		assertThat(search.modifyingCte()).isTrue();
		SqlTemplate cycle = parse("WITH RECURSIVE r AS (SELECT 1 AS id) CYCLE id SET is_cycle TO true DEFAULT false "
				+ "USING path SELECT * FROM r");
		StatementShape shape = StatementShape.of(cycle.tokens());
		assertThat(shape.kind()).isEqualTo(StatementKind.SELECT);
		assertThat(cycle.tokens().get(shape.mainKeyword()).text()).isEqualTo("SELECT");
		assertThat(cycle.tokens().get(shape.mainKeyword()).start()).isEqualTo(cycle.sql().lastIndexOf("SELECT"));
	}

	@Test
	void readOnlyOnlyForPlainQueries() {
		assertThat(parse("SELECT * FROM t WHERE id = :id").readOnly()).isTrue();
		assertThat(parse("SELECT * FROM t FOR UPDATE SKIP LOCKED").readOnly()).isFalse();
		assertThat(parse("SELECT nextval('s')").readOnly()).isFalse();
		assertThat(parse("SELECT * INTO t2 FROM t").readOnly()).isFalse();
		assertThat(parse("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d").readOnly()).isFalse();
		assertThat(parse("INSERT INTO t VALUES (1)").readOnly()).isFalse();
	}

	@Test
	void aQueryCallingAFunctionThatMayWriteIsNotReadOnly() {
		assertThat(parse("SELECT place_order(:customer)").readOnly()).isFalse();
		assertThat(parse("SELECT * FROM shop.place_order(:customer)").readOnly()).isFalse();
		assertThat(parse("SELECT \"PlaceOrder\"(1)").readOnly()).isFalse();
		assertThat(parse("SELECT pg_notify('jobs', :payload)").readOnly()).isFalse();
		assertThat(parse("SELECT pg_advisory_lock(42)").readOnly()).isFalse();
		assertThat(parse("select setval('s', 1)").readOnly()).isFalse();
	}

	@Test
	void builtInCallsKeywordListsAndTypeModifiersKeepAQueryReadOnly() {
		assertThat(parse("SELECT count(*), max(balance), coalesce(sum(n), 0) FROM t WHERE id = ANY(:ids)").readOnly())
			.isTrue();
		assertThat(parse("SELECT id FROM t WHERE id IN (SELECT a FROM u) AND EXISTS (SELECT 1) ORDER BY lower(name)")
			.readOnly()).isTrue();
		assertThat(parse("SELECT CAST(:v AS numeric(19, 2)), :w::varchar(10), now(), jsonb_build_object('a', 1)")
			.readOnly()).isTrue();
		assertThat(parse("SELECT row_number() OVER (PARTITION BY a ORDER BY b) FROM t JOIN u USING (id)").readOnly())
			.isTrue();
		assertThat(parse("WITH x AS (SELECT 1 AS one) SELECT * FROM x, (VALUES (1), (2)) AS v").readOnly()).isTrue();
		// a comment or a string that looks like a call is not one
		assertThat(parse("SELECT 'place_order(1)' /* nextval('s') */ FROM t").readOnly()).isTrue();
	}

	@Test
	void statementsAreCounted() {
		assertThat(parse("SELECT 1").statementCount()).isEqualTo(1);
		assertThat(parse("SELECT 1;").statementCount()).isEqualTo(1);
		assertThat(parse("SELECT 1; ; -- x").statementCount()).isEqualTo(1);
		assertThat(parse("SELECT 1; SELECT 2").statementCount()).isEqualTo(2);
		assertThat(parse("SELECT ';'").statementCount()).isEqualTo(1);
	}

}
