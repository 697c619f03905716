package io.asyncsql.core.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.json.JsonCodec;
import io.r2dbc.spi.Parameter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParameterBinderTests {

	private final Dialect postgres = Dialects.of(DatabaseType.POSTGRESQL, JsonCodec.detect());

	private BoundStatement bind(String sql, Map<String, ?> params) {
		return bind(sql, params, Map.of(), Map.of());
	}

	private BoundStatement bind(String sql, Map<String, ?> params, Map<String, String> nodeHints,
			Map<String, String> queryHints) {
		return this.postgres.binder().bindNamed(this.postgres.templates().get(sql), params, nodeHints, queryHints, "n",
				65535);
	}

	@Test
	void namesBecomeNumberedMarkersAndRepeatedNamesBindOnce() {
		BoundStatement bound = bind("SELECT * FROM t WHERE a = :a OR b = :b OR c = :a", Map.of("a", 1, "b", "x"));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1");
		assertThat(bound.values()).containsExactly(1, "x");
	}

	@Test
	void literalsCommentsAndCastsAreLeftAlone() {
		BoundStatement bound = bind("SELECT ':a', 'a'::text, :text /* :a */ -- :a\n", Map.of("text", "v"));
		assertThat(bound.sql()).isEqualTo("SELECT ':a', 'a'::text, $1 /* :a */ -- :a\n");
	}

	@Test
	void missingParameterIsNamed() {
		assertThatThrownBy(() -> bind("SELECT :a, :b", Map.of("a", 1)))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("':b'")
			.extracting("parameter").isEqualTo("b");
	}

	@Test
	void unknownParameterIsNamed() {
		assertThatThrownBy(() -> bind("SELECT :a", Map.of("a", 1, "typo", 2)))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("'typo'")
			.hasMessageContaining("[a]");
	}

	@Test
	void nullValuesBindAsUntypedNulls() {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("v", null);
		BoundStatement bound = bind("UPDATE t SET c = :v", params);
		assertThat(bound.values()).containsExactly(NullBind.UNTYPED);
	}

	@Test
	void typeHintsAreCastsOnMarkersAndQueryHintsWin() {
		BoundStatement bound = bind("SELECT :a, :b, :c::jsonb", Map.of("a", "x", "b", "y", "c", "{}"),
				Map.of("a", "uuid", "b", "text", "c", "json"), Map.of("b", "jsonb"));
		assertThat(bound.sql()).isEqualTo("SELECT $1::uuid, $2::jsonb, $3::jsonb");
	}

	@Test
	void typeHintsWorkBeyondNineParameters() {
		Map<String, Object> params = new LinkedHashMap<>();
		Map<String, String> hints = new LinkedHashMap<>();
		StringBuilder sql = new StringBuilder("SELECT ");
		for (int i = 1; i <= 12; i++) {
			sql.append((i > 1) ? ", " : "").append(":p").append(i);
			params.put("p" + i, i);
			hints.put("p" + i, (i % 2 == 0) ? "bigint" : "integer");
		}
		BoundStatement bound = bind(sql.toString(), params, hints, Map.of());
		assertThat(bound.sql()).isEqualTo("SELECT $1::integer, $2::bigint, $3::integer, $4::bigint, $5::integer, "
				+ "$6::bigint, $7::integer, $8::bigint, $9::integer, $10::bigint, $11::integer, $12::bigint");
	}

	@Test
	void invalidTypeHintIsRefused() {
		assertThatThrownBy(() -> bind("SELECT :a", Map.of("a", 1), Map.of(), Map.of("a", "int); DROP TABLE x; --")))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("not a PostgreSQL type name");
	}

	@Test
	void validTypeHintsAreAccepted() {
		for (String hint : List.of("jsonb", "numeric(10,2)", "numeric(10, 2)", "text[]", "integer[][]",
				"timestamp with time zone", "public.my_type", "varchar(20)")) {
			assertThat(bind("SELECT :a", Map.of("a", 1), Map.of(), Map.of("a", hint)).sql()).isEqualTo("SELECT $1::" + hint);
		}
	}

	@Test
	void inListsExpandOneMarkerPerElement() {
		BoundStatement bound = bind("SELECT * FROM t WHERE id IN (:ids) AND x = :x", Map.of("ids", List.of(3L, 4L, 5L), "x", 1));
		assertThat(bound.sql()).isEqualTo("SELECT * FROM t WHERE id IN ($1, $2, $3) AND x = $4");
		assertThat(bound.values()).containsExactly(3L, 4L, 5L, 1);
	}

	@Test
	void emptyInListsMatchNothingAndEmptyNotInListsMatchEverything() {
		assertThat(bind("SELECT 1 WHERE id IN (:ids)", Map.of("ids", List.of())).sql())
			.isEqualTo("SELECT 1 WHERE id IN (NULL) IS TRUE");
		assertThat(bind("SELECT 1 WHERE id NOT IN ( :ids )", Map.of("ids", List.of())).sql())
			.isEqualTo("SELECT 1 WHERE id IN (NULL) IS NOT TRUE");
	}

	@Test
	void collectionsOutsideInListsBindAsArrays() {
		BoundStatement bound = bind("SELECT 1 WHERE id = ANY(:ids)", Map.of("ids", List.of(1L << 40, 2L)));
		assertThat(bound.sql()).isEqualTo("SELECT 1 WHERE id = ANY($1)");
		assertThat(((Parameter) bound.values()[0]).getValue()).isEqualTo("{1099511627776,2}");
	}

	@Test
	void arrayLiteralsQuoteAndEscapeElements() {
		java.util.ArrayList<Object> tags = new java.util.ArrayList<>(List.of("a b", "q\"uote", "back\\slash"));
		tags.add(null);
		BoundStatement bound = bind("SELECT :tags", Map.of("tags", tags));
		assertThat(((Parameter) bound.values()[0]).getValue()).isEqualTo("{\"a b\",\"q\\\"uote\",\"back\\\\slash\",NULL}");
	}

	@Test
	void positionalValuesMustMatchMarkers() {
		SqlTemplate template = this.postgres.templates().get("SELECT $1, $2");
		assertThat(this.postgres.binder().bindPositional(template, List.of(1, 2), "n", 10).values()).containsExactly(1, 2);
		assertThatThrownBy(() -> this.postgres.binder().bindPositional(template, List.of(1), "n", 10))
			.isInstanceOf(ParameterBindingException.class).hasMessageContaining("$2");
		assertThatThrownBy(() -> this.postgres.binder().bindPositional(template, List.of(1, 2, 3), "n", 10))
			.isInstanceOf(ParameterBindingException.class).hasMessageContaining("3 values");
	}

	@Test
	void tooManyBindValuesAreRefused() {
		SqlTemplate template = this.postgres.templates().get("SELECT 1 WHERE id IN (:ids)");
		assertThatThrownBy(() -> this.postgres.binder().bindNamed(template, Map.of("ids", List.of(1, 2, 3)), Map.of(),
				Map.of(), "n", 2))
			.isInstanceOf(ParameterBindingException.class).hasMessageContaining("max-bind-values");
	}

	@Test
	void typeHintCannotCarrySql() {
		for (String hint : List.of("int or true", "text union select password from users", "boolean) or (true",
				"int; drop table t", "text -- x", "text/* */", "int[] or true", "double precision or true")) {
			assertThatThrownBy(() -> bind("SELECT 1 WHERE a = :a", Map.of("a", 1), Map.of(), Map.of("a", hint)))
				.as(hint)
				.isInstanceOf(ParameterBindingException.class)
				.hasMessageContaining("not a PostgreSQL type name");
		}
	}

	@Test
	void multiWordTypeNamesAreAccepted() {
		for (String hint : List.of("double precision", "character varying(40)", "CHARACTER VARYING", "bit varying(8)",
				"timestamp(3) with time zone", "time without time zone", "timestamp without time zone[]")) {
			assertThat(bind("SELECT :a", Map.of("a", 1), Map.of(), Map.of("a", hint)).sql()).isEqualTo("SELECT $1::" + hint);
		}
	}

	@Test
	void castBeforeASubscriptIsParenthesized() {
		assertThat(bind("SELECT :a[1], :a [2]", Map.of("a", List.of(1)), Map.of(), Map.of("a", "int[]")).sql())
			.isEqualTo("SELECT ($1::int[])[1], ($1::int[]) [2]");
	}

	@Test
	void slotsKnowTheirParameterNamesForMessages() {
		BoundStatement bound = bind("SELECT :a WHERE x IN (:ids) AND y = :b", Map.of("a", 1, "ids", List.of(1, 2), "b", 3));
		assertThat(bound.sql()).isEqualTo("SELECT $1 WHERE x IN ($2, $3) AND y = $4");
		assertThat(List.of(bound.parameterLabel(0), bound.parameterLabel(2), bound.parameterLabel(3)))
			.containsExactly(":a", ":ids", ":b");
		SqlTemplate positional = this.postgres.templates().get("SELECT $1");
		assertThat(this.postgres.binder().bindPositional(positional, List.of(1), "n", 10).parameterLabel(0)).isEqualTo("$1");
	}

	@Test
	void dialectWithoutTypeHintsIgnoresThem() {
		ParameterBinder binder = new ParameterBinder(new QuestionMarkRules());
		SqlTemplate template = SqlTemplate.parse("SELECT * FROM t WHERE a = :a AND b = :a", new SqlLexer(SqlSyntax.MYSQL));
		BoundStatement bound = binder.bindNamed(template, Map.of("a", 1), Map.of("a", "jsonb"),
				Map.of("a", "not even a ( type"), "n", 10);
		assertThat(bound.sql()).isEqualTo("SELECT * FROM t WHERE a = ? AND b = ?");
		assertThat(bound.values()).containsExactly(1, 1);
	}

	/** Binding rules of a dialect with {@code ?} markers and no type hints. */
	private static final class QuestionMarkRules implements BindingRules {

		@Override
		public boolean reusableMarkers() {
			return false;
		}

		@Override
		public String marker(int index) {
			return "?";
		}

		@Override
		public boolean supportsTypeHints() {
			return false;
		}

		@Override
		public void checkTypeHint(String hint) {
			throw new IllegalArgumentException("hints are not applied");
		}

		@Override
		public String castMarker(String marker, String hint) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String emptyInList(boolean negated) {
			return negated ? "IS NOT NULL OR TRUE" : "IS NULL AND FALSE";
		}

		@Override
		public Object toBindValue(Object value, String hint) {
			return value;
		}

		@Override
		public NullBind nullValue(String hint) {
			return NullBind.UNTYPED;
		}

	}

	@Test
	void escapeStringsUseDoubledQuotesWhenSent() {
		assertThat(bind("SELECT E'a\\'b\\\\', e'\\n', 'plain\\', :x", Map.of("x", 1)).sql())
			.isEqualTo("SELECT E'a''b\\\\', e'\\n', 'plain\\', $1");
		SqlTemplate positional = this.postgres.templates().get("SELECT E'\\'', $1");
		assertThat(this.postgres.binder().bindPositional(positional, List.of(1), "n", 10).sql())
			.isEqualTo("SELECT E'''', $1");
		assertThat(positional.sql()).isEqualTo("SELECT E'\\'', $1");
	}

	@Test
	void renderingIsCachedPerHintSet() {
		BoundStatement first = bind("SELECT :a, :b", Map.of("a", 1, "b", 2));
		BoundStatement second = bind("SELECT :a, :b", Map.of("a", 3, "b", 4));
		assertThat(second.sql()).isSameAs(first.sql());
		assertThat(second.values()).containsExactly(3, 4);
	}

}
