package io.asyncsql.core.validation;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.validation.ValidationCorpusTests.Dialect;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Properties of validation over random input: it always returns a verdict (never throws), and what string literals
 * and comments say never changes the verdict. Each try has its own seed, named in a failure message, so a failing
 * case can be replayed with {@link #replay(long)}.
 */
class ValidationPropertyTests {

	private static final long BASE_SEED = 0x5eed_a5c5_0001L;

	private static final int TRIES = 3000;

	@Test
	void everyTextGetsAVerdict() {
		for (int n = 0; n < TRIES; n++) {
			long seed = BASE_SEED + n;
			String sql = RandomSql.anyText(new SplittableRandom(seed));
			for (Dialect dialect : Dialect.values()) {
				assertVerdict(sql, dialect, seed);
			}
		}
	}

	@Test
	void everyTokenSoupGetsAVerdict() {
		Map<ValidationRule, Integer> seen = new EnumMap<>(ValidationRule.class);
		int passed = 0;
		for (int n = 0; n < TRIES; n++) {
			long seed = BASE_SEED + n;
			RandomSql.Shape shape = RandomSql.shape(new SplittableRandom(seed));
			for (Dialect dialect : Dialect.values()) {
				String sql = shape.render(dialect, new SplittableRandom(~seed));
				for (boolean allowAdmin : new boolean[] { false, true }) {
					Violation violation = assertVerdict(sql, dialect, seed).get(allowAdmin);
					if (violation == null) {
						passed++;
					}
					else {
						seen.merge(violation.rule(), 1, Integer::sum);
					}
				}
			}
		}
		// the generator reaches every rule, so the properties are tested where they matter
		assertThat(passed).isPositive();
		assertThat(seen.keySet()).contains(ValidationRule.MULTIPLE_STATEMENTS, ValidationRule.DANGEROUS_FUNCTION,
				ValidationRule.TRANSACTION_CONTROL, ValidationRule.ADMIN_STATEMENT, ValidationRule.INJECTION_TAUTOLOGY,
				ValidationRule.OBFUSCATED_KEYWORD);
	}

	@Test
	void literalAndCommentContentsNeverChangeTheVerdict() {
		int compared = 0;
		for (int n = 0; n < TRIES; n++) {
			long seed = BASE_SEED + n;
			RandomSql.Shape shape = RandomSql.shape(new SplittableRandom(seed));
			if (shape.pieces().stream().noneMatch(p -> p instanceof RandomSql.Literal
					|| p instanceof RandomSql.Comment || p instanceof RandomSql.SplitWord)) {
				continue;
			}
			for (Dialect dialect : Dialect.values()) {
				String first = shape.render(dialect, new SplittableRandom(seed * 31));
				String second = shape.render(dialect, new SplittableRandom(seed * 31 + 7));
				for (boolean allowAdmin : new boolean[] { false, true }) {
					String firstRule = rule(dialect, first, allowAdmin);
					String secondRule = rule(dialect, second, allowAdmin);
					assertThat(secondRule)
						.as("seed %d, %s, allow-admin %s:%n  %s%n  -> %s%n  %s%n  -> %s", seed, dialect, allowAdmin,
								first, firstRule, second, secondRule)
						.isEqualTo(firstRule);
					compared++;
				}
			}
		}
		assertThat(compared).isGreaterThan(TRIES * 3);
	}

	@Test
	void aRefusedStatementStaysRefusedWhateverItsLiteralsSay() {
		// the examples with hostile literal contents: quotes, escapes and comment markers in the literal
		SplittableRandom random = new SplittableRandom(BASE_SEED);
		for (int n = 0; n < TRIES; n++) {
			String content = RandomSql.anyText(random).replace("'", "''");
			assertThat(rule(Dialect.POSTGRESQL, "SELECT * FROM users WHERE name = '" + content + "' OR 1=1", false))
				.isEqualTo("injection_tautology");
			assertThat(rule(Dialect.POSTGRESQL, "SELECT pg_sleep(5), '" + content + "'", true))
				.isEqualTo("dangerous_function");
			assertThat(rule(Dialect.POSTGRESQL, "UPDATE notes SET body = '" + content + "' WHERE id = :id", false))
				.isEqualTo("pass");
		}
	}

	private static Map<Boolean, Violation> assertVerdict(String sql, Dialect dialect, long seed) {
		Map<Boolean, Violation> verdicts = new java.util.HashMap<>();
		assertThatCode(() -> {
			SqlTemplate template = SqlTemplate.parse(sql, dialect.lexer);
			for (boolean allowAdmin : new boolean[] { false, true }) {
				Violation violation = dialect.validator.check(template, allowAdmin);
				if (violation != null) {
					assertThat(violation.rule()).isNotNull();
					assertThat(violation.position()).isBetween(0, Math.max(0, sql.length() - 1));
					assertThat(violation.detail()).isNotBlank();
				}
				verdicts.put(allowAdmin, violation);
			}
		}).as("seed %d, %s: %s", seed, dialect, sql).doesNotThrowAnyException();
		return verdicts;
	}

	private static String rule(Dialect dialect, String sql, boolean allowAdmin) {
		Violation violation = dialect.validator.check(SqlTemplate.parse(sql, dialect.lexer), allowAdmin);
		return (violation != null) ? violation.rule().id() : "pass";
	}

	/**
	 * Prints what a seed generates, to look at a failing case.
	 * @param seed the seed from a failure message
	 */
	static void replay(long seed) {
		RandomSql.Shape shape = RandomSql.shape(new SplittableRandom(seed));
		for (Dialect dialect : Dialect.values()) {
			System.out.println(dialect + ": " + shape.render(dialect, new SplittableRandom(seed * 31)));
			System.out.println(dialect + ": " + shape.render(dialect, new SplittableRandom(seed * 31 + 7)));
		}
	}

}
