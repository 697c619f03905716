package io.asyncsql.core.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the PostgreSQL lexer to the server's own reading of SQL text. Seeded random fragments mix quotes, doubled
 * quotes, backslashes, escapes, newlines, line and nested block comments, dollar quotes and the {@code E},
 * {@code U&}, {@code B}, {@code X} and {@code N} prefixes (with {@code UESCAPE} clauses), and each is sent inside a
 * statement whose end the lexer can vouch for. Wherever the lexer reads the fragment as one literal standing for V,
 * the server must return exactly V and the column after it; where it reads a literal the server refuses (a bad
 * escape), or something open at the end, the server must refuse the statement; where it reads a literal among
 * other tokens, the server must not accept it as one value. Quoted identifiers go the same way as column names.
 * <p>
 * The run prints its seed and figures; {@code -Dasyncsql.lexer.seed=N} replays it and
 * {@code -Dasyncsql.lexer.cases=N} sets the number of cases of the default run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresLexerDifferentialTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final SqlLexer LEXER = new SqlLexer(SqlSyntax.POSTGRESQL);

	private static final String[] BODY = { "a", "b", "0", "1", "7", "f", "F", "'", "''", "\\", "\\'", "\\\\", "\"",
			"\"\"", "\n", "\r\n", " ", "\t", "--", "-- c\n", "/*", "*/", "/* x */", "$", "$$", "$a$", ";", "x41", "u0041",
			"U0001F600", "101", "+", "!", "\\0041", "\\+01F600", "!0061", "\\u00e9", "\\xC3\\xA9", "\\303\\251", "\\D83D\\DE00",
			"\\uD83D\\uDE00", "\u00e9", "\u20ac", "\\n", "\\t", "\\b", "\\q", "\\x", "\\u12", "\\0", "\\x80", "E'", "U&'" };

	// what may stand between a literal's quoted runs: with a newline it continues, without it it does not
	private static final String[] GAP = { "\n", " \n ", "\t\r\n", "\n\n", " -- note\n", "-- it's\n\t", "\n-- c\n",
			"\n-- c\n-- d\n ", " ", "", "/* */\n", "\n/* x */", "\u000b\n", "\f\n", "--\n" };

	// r2dbc-postgresql refuses a dollar-quote tag outside ASCII ($\u00e9$), which the server takes: not generated
	private static final String[] PREFIX = { "", "", "", "E", "e", "U&", "u&", "B", "X", "N", "$$", "$q$", "$_1$",
			"$Q9$", "\"", "U&\"" };

	private static final String[] COMMENT = { "", "", "", "/* a */ ", "/* a /* b */ c */ ", "-- lead\n",
			"/*/ */ ", "/**/", "/* ' */ ", "/* /* ' */ ' */ " };

	private PostgresSchema schema;

	private AsyncSqlNode node;

	private int serverVersion;

	@BeforeAll
	void connect() {
		this.schema = PostgresSchema.create("lexer");
		// the lexer is under test, not the validator: the node sends what it is given
		this.node = AsyncSqlNode.builder(this.schema.node("lexer_differential")
			.validateQueries(false)
			.transactionMode(TransactionMode.NONE)
			.timeout(Duration.ofSeconds(10))
			.build()).build();
		this.serverVersion = Integer.parseInt(String.valueOf(this.schema.scalar("SHOW server_version_num"))) / 10000;
	}

	@AfterAll
	void close() {
		if (this.node != null) {
			this.node.close();
		}
		if (this.schema != null) {
			this.schema.close();
		}
	}

	// 4,000 cases in the default suite, 60,000 under -Preliability
	@Test
	@Tag("reliability")
	void theLexerReadsLiteralsAndIdentifiersAsTheServerDoes() {
		run(Integer.getInteger("asyncsql.lexer.cases", 4000));
	}

	private void run(int cases) {
		long seed = Long.getLong("asyncsql.lexer.seed", new SplittableRandom().nextLong());
		Map<String, Integer> verdicts = new ConcurrentHashMap<>();
		List<String> disagreements = java.util.Collections.synchronizedList(new ArrayList<>());
		long start = System.nanoTime();
		Flux.range(0, cases)
			.flatMap(n -> check(new SplittableRandom(seed + 0x9e3779b97f4a7c15L * n), verdicts, disagreements), 4)
			.then()
			.block(Duration.ofMinutes(30));
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		System.out.printf("lexer differential: seed %d, %d cases in %d ms, %s, %d disagreements "
				+ "(replay with -Dasyncsql.lexer.seed=%d)%n", seed, cases, elapsed, new TreeMap<>(verdicts),
				disagreements.size(), seed);
		assertThat(disagreements).as("seed %d", seed).isEmpty();
		// the generator reaches every kind of verdict
		assertThat(verdicts).containsKeys("literal", "identifier", "refused literal", "unterminated", "other");
		assertThat(verdicts.get("literal")).isGreaterThan(cases / 10);
	}

	private Mono<Void> check(SplittableRandom random, Map<String, Integer> verdicts, List<String> disagreements) {
		boolean identifier = random.nextInt(5) == 0;
		boolean atEnd = !identifier && random.nextInt(8) == 0;
		String fragment = identifier ? identifier(random) : fragment(random, atEnd);
		String sql = identifier ? "SELECT 1 AS " + fragment + "\n, 'end' AS s"
				: atEnd ? "SELECT " + fragment : "SELECT (" + fragment + "\n)::text AS v, 'end' AS s";
		Expectation expected = expect(sql, identifier, atEnd);
		verdicts.merge(expected.verdict(), 1, Integer::sum);
		return this.node.execute(sql)
			.map(result -> agreeWithSuccess(expected, result))
			.onErrorResume(failure -> Mono.just(
					(expected.serverAccepts() && !refusesVerticalTab(sql)) ? "the server refused it: " + failure.getMessage()
							: ""))
			.doOnNext(problem -> {
				if (!problem.isEmpty()) {
					disagreements.add(printable(sql) + " -> lexer: " + expected + "; " + problem);
				}
			})
			.then();
	}

	// the lexer reads a vertical tab as white space, as PostgreSQL does from version 16 on; PostgreSQL 15 refuses the
	// statement instead, which hides nothing
	private boolean refusesVerticalTab(String sql) {
		return sql.indexOf('\u000b') >= 0 && this.serverVersion < 16;
	}

	private static String agreeWithSuccess(Expectation expected, QueryResult result) {
		List<String> columns = result.columns();
		Map<String, Object> row = result.one();
		String got = columns + " " + ((row != null) ? printable(String.valueOf(row.values())) : "no row");
		if (!expected.serverAccepts()) {
			return expected.literalAmongOthers() ? "the server accepted it: " + got : "";
		}
		if (expected.columnName() != null) {
			return (columns.size() == 2 && expected.columnName().equals(columns.get(0)) && "end".equals(row.get("s")))
					? "" : "the server returned " + got;
		}
		List<Object> values = new ArrayList<>(row.values());
		boolean sentinel = expected.atEnd() ? values.size() == 1 : values.size() == 2 && "end".equals(values.get(1));
		return (sentinel && expected.value().equals(values.get(0))) ? "" : "the server returned " + got;
	}

	// ---------------------------------------------------------------- what the lexer says

	private static Expectation expect(String sql, boolean identifier, boolean atEnd) {
		SqlLexer.Result lexed = LEXER.tokenize(sql);
		if (lexed.unterminated()) {
			return new Expectation("unterminated", false, null, null, atEnd);
		}
		List<SqlToken> words = lexed.tokens().stream().filter(t -> t.type().isSignificant()).toList();
		int first = identifier ? 3 : atEnd ? 1 : 2;
		int after = identifier ? 4 : atEnd ? 2 : 3;
		PostgresLiteral literal = PostgresLiteral.read(words, first);
		// at the end of the statement, a word after the literal is its column alias
		boolean aliased = atEnd && literal != null && words.size() == literal.lastToken() + 2
				&& words.get(literal.lastToken() + 1).type() == TokenType.WORD
				&& !words.get(literal.lastToken() + 1).isKeyword("UESCAPE");
		boolean oneLiteral = literal != null && (aliased || words.size() == literal.lastToken() + (atEnd ? 1 : identifier ? 5 : 10))
				&& (atEnd || ",".equals(words.get(literal.lastToken() + (identifier ? 1 : 6)).text()));
		if (!oneLiteral) {
			boolean literalSeen = words.stream().skip(1)
				.anyMatch(t -> t.type() == TokenType.STRING && !t.text().equals("'end'")
						|| t.type() == TokenType.QUOTED_IDENTIFIER);
			// a literal among other tokens is never one value; numbers and words alone may be
			return new Expectation("other", false, null, null, atEnd, literalSeen);
		}
		if (literal.value() == null) {
			return new Expectation("refused literal", false, null, null, atEnd);
		}
		if (identifier) {
			if (words.get(first).type() != TokenType.QUOTED_IDENTIFIER) {
				return new Expectation("other", false, null, null, atEnd, true);
			}
			return new Expectation("identifier", true, null, truncated(literal.value()), atEnd);
		}
		if (words.get(first).type() != TokenType.STRING) {
			return new Expectation("other", false, null, null, atEnd, false);
		}
		String value = literal.value();
		if (!atEnd && Character.toUpperCase(words.get(first).text().charAt(0)) == 'N') {
			// N'...' is character(n), whose trailing spaces a cast to text drops
			value = value.replaceAll(" +\\z", "");
		}
		return new Expectation("literal", true, value, null, atEnd);
	}

	// PostgreSQL keeps the first 63 bytes of a name
	private static String truncated(String name) {
		StringBuilder kept = new StringBuilder();
		int bytes = 0;
		for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
			String character = new String(Character.toChars(name.codePointAt(i)));
			bytes += character.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
			if (bytes > 63) {
				break;
			}
			kept.append(character);
		}
		return kept.toString();
	}

	/**
	 * What the server must do with a statement, by the lexer.
	 * @param verdict how the lexer read the fragment
	 * @param serverAccepts whether the server must run it
	 * @param value the literal's value, for a literal
	 * @param columnName the column name, for an identifier
	 * @param atEnd whether the fragment ends the statement
	 * @param literalAmongOthers whether a literal stands among other tokens (then the server must refuse)
	 */
	private record Expectation(String verdict, boolean serverAccepts, String value, String columnName, boolean atEnd,
			boolean literalAmongOthers) {

		Expectation(String verdict, boolean serverAccepts, String value, String columnName, boolean atEnd) {
			this(verdict, serverAccepts, value, columnName, atEnd, true);
		}

		@Override
		public String toString() {
			return this.verdict + ((this.value != null) ? " " + printable(this.value) : "")
					+ ((this.columnName != null) ? " named " + printable(this.columnName) : "");
		}

	}

	// ---------------------------------------------------------------- the generator

	// at the end of the statement a word after the literal would be its column alias: none is appended there
	private static String fragment(SplittableRandom random, boolean atEnd) {
		StringBuilder out = new StringBuilder(COMMENT[random.nextInt(COMMENT.length)]);
		if (!atEnd && random.nextInt(4) == 0) {
			// anything at all
			for (int i = random.nextInt(1, 14); i > 0; i--) {
				out.append(pick(random, random.nextBoolean() ? BODY : GAP));
			}
			return out.toString();
		}
		String prefix = PREFIX[random.nextInt(PREFIX.length - 2)];
		if (prefix.startsWith("$")) {
			String tag = (random.nextInt(6) == 0) ? PREFIX[10 + random.nextInt(4)] : prefix;
			return out.append(prefix).append(body(random)).append(tag).toString();
		}
		out.append(prefix).append('\'').append(body(random)).append('\'');
		for (int runs = random.nextInt(4) == 0 ? random.nextInt(1, 4) : 0; runs > 0; runs--) {
			out.append(pick(random, GAP)).append('\'').append(body(random)).append('\'');
		}
		if (prefix.equalsIgnoreCase("U&") && random.nextInt(3) == 0) {
			out.append(" UESCAPE '").append(pick(random, new String[] { "!", "\\", "+", "a", "#", "''", "!!" }))
				.append("'");
			if (random.nextInt(3) == 0) {
				out.append(pick(random, GAP)).append("'").append(pick(random, new String[] { "", "!" })).append("'");
			}
		}
		if (!atEnd && random.nextInt(6) == 0) {
			out.append(pick(random, GAP)).append(pick(random, BODY));
		}
		return out.toString();
	}

	private static String identifier(SplittableRandom random) {
		String prefix = random.nextBoolean() ? "\"" : "U&\"";
		StringBuilder out = new StringBuilder(COMMENT[random.nextInt(COMMENT.length)]).append(prefix);
		for (int i = random.nextInt(0, 6); i > 0; i--) {
			out.append(pick(random, new String[] { "a", "\"\"", "'", "\\0041", "!0041", "\\\\", " ", "\n", "$$", "--",
					"/*", "\u00e9", "\\+01F600", "x" }));
		}
		out.append('"');
		if (prefix.startsWith("U&") && random.nextInt(3) == 0) {
			out.append(" UESCAPE '").append(pick(random, new String[] { "!", "\\", "+", "''" })).append("'");
		}
		if (random.nextInt(8) == 0) {
			out.append(pick(random, GAP)).append(pick(random, BODY));
		}
		return out.toString();
	}

	private static String body(SplittableRandom random) {
		StringBuilder body = new StringBuilder();
		for (int i = random.nextInt(0, 7); i > 0; i--) {
			body.append(pick(random, BODY));
		}
		return body.toString();
	}

	private static String pick(SplittableRandom random, String[] choices) {
		return choices[random.nextInt(choices.length)];
	}

	private static String printable(String text) {
		StringBuilder out = new StringBuilder(text.length());
		text.chars().forEach(c -> out.append((c >= 0x20 && c < 0x7f) ? String.valueOf((char) c)
				: String.format("\\u%04x", c)));
		return out.toString();
	}

}
