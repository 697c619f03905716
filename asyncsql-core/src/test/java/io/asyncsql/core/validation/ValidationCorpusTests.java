package io.asyncsql.core.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.asyncsql.core.sql.SqlLexer;
import io.asyncsql.core.sql.SqlSyntax;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.TokenType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every case of {@code validation-corpus.txt}: the expected verdict (pass, or the rule and where it points) for
 * a statement on a dialect with or without {@code allow-admin}.
 */
class ValidationCorpusTests {

	private static final String CORPUS = "validation-corpus.txt";

	private static final Pattern CHARACTER = Pattern.compile("\\{U\\+([0-9A-Fa-f]{4})}");

	static List<Case> cases() {
		List<Case> cases = new ArrayList<>();
		try (InputStream in = ValidationCorpusTests.class.getResourceAsStream(CORPUS)) {
			BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			int number = 0;
			while ((line = reader.readLine()) != null) {
				number++;
				if (line.isBlank() || line.startsWith("#")) {
					continue;
				}
				String[] fields = line.split(" \\| ", 4);
				if (fields.length != 4) {
					throw new IllegalStateException(CORPUS + " line " + number + " does not have four fields: " + line);
				}
				String[] expected = fields[0].trim().split("@");
				Dialect dialect = Dialect.valueOf(fields[1].trim().toUpperCase(Locale.ROOT));
				String sql = characters(fields[3]);
				int position = (expected.length > 1) ? Integer.parseInt(expected[1]) : -1;
				String admin = fields[2].trim();
				for (boolean allowAdmin : admin.equals("any") ? List.of(false, true) : List.of(Boolean.parseBoolean(admin))) {
					cases.add(new Case(number, dialect, allowAdmin, expected[0], position, sql));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return cases;
	}

	private static String characters(String text) {
		Matcher matcher = CHARACTER.matcher(text);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(result,
					Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(matcher.group(1), 16))));
		}
		return matcher.appendTail(result).toString();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void verdict(Case c) {
		SqlTemplate template = SqlTemplate.parse(c.sql(), c.dialect().lexer);
		Violation violation = c.dialect().validator.check(template, c.allowAdmin());
		String actual = (violation != null) ? violation.rule().id() : "pass";
		assertThat(actual).as("verdict for %s (%s)", c, (violation != null) ? violation.detail() : "")
			.isEqualTo(c.expected());
		if (c.position() >= 0) {
			assertThat(violation.position()).as("position of the offending token in %s", c).isEqualTo(c.position());
		}
		if (violation != null) {
			assertThat(violation.position()).isBetween(0, c.sql().length() - 1);
			assertThat(violation.detail()).isNotBlank();
			// details end up in exception messages: they never quote what a literal says
			for (SqlToken token : template.tokens()) {
				if (token.type() == TokenType.STRING && token.text().length() > 4) {
					assertThat(violation.detail()).doesNotContain(token.text())
						.doesNotContain(token.text().substring(1, token.text().length() - 1));
				}
			}
		}
		assertThat(c.dialect().validator.validate(template, c.allowAdmin())).as("cached verdict").isEqualTo(violation);
	}

	@Test
	void corpusIsLargeAndCoversEveryRuleAndDialect() {
		List<Case> cases = cases();
		Set<Integer> lines = cases.stream().map(Case::line).collect(Collectors.toSet());
		assertThat(lines).hasSizeGreaterThanOrEqualTo(150);
		Set<ValidationRule> expectedRules = EnumSet.allOf(ValidationRule.class);
		// decided by the node for every statement, validated or not
		expectedRules.remove(ValidationRule.SQL_TOO_LONG);
		expectedRules.remove(ValidationRule.NUL_CHARACTER);
		// checked by SessionStateCheck on nodes behind a transaction-pooling proxy, see SessionStateCheckTests
		expectedRules.remove(ValidationRule.SESSION_STATE);
		Set<String> ruleIds = expectedRules.stream().map(ValidationRule::id).collect(Collectors.toSet());
		assertThat(cases.stream().map(Case::expected).collect(Collectors.toSet())).containsAll(ruleIds)
			.contains("pass");
		for (Dialect dialect : Dialect.values()) {
			Set<String> verdicts = cases.stream().filter(c -> c.dialect() == dialect).map(Case::expected)
				.collect(Collectors.toSet());
			assertThat(verdicts).as(dialect.name()).contains("pass", "admin_statement", "dangerous_function",
					"transaction_control", "multiple_statements", "injection_tautology");
		}
	}

	enum Dialect {

		POSTGRESQL(SqlSyntax.POSTGRESQL, ValidationKeywords.POSTGRESQL),

		MYSQL(SqlSyntax.MYSQL, ValidationKeywords.MYSQL),

		H2(SqlSyntax.H2, ValidationKeywords.H2);

		final SqlLexer lexer;

		final QueryValidator validator;

		Dialect(SqlSyntax syntax, ValidationKeywords keywords) {
			this.lexer = new SqlLexer(syntax);
			this.validator = new QueryValidator(keywords, 1024);
		}

	}

	record Case(int line, Dialect dialect, boolean allowAdmin, String expected, int position, String sql) {

		@Override
		public String toString() {
			String shown = this.sql.replace("\n", "\\n").replace("\r", "\\r");
			return "line " + this.line + " " + this.dialect.name().toLowerCase(Locale.ROOT)
					+ (this.allowAdmin ? " allow-admin" : "") + ": " + shown + " -> " + this.expected
					+ ((this.position >= 0) ? "@" + this.position : "");
		}

	}

}
