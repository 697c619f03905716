package io.asyncsql.core.sql;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SqlLexerTests {

	private final SqlLexer postgres = new SqlLexer(SqlSyntax.POSTGRESQL);

	private final SqlLexer mysql = new SqlLexer(SqlSyntax.MYSQL);

	private final SqlLexer h2 = new SqlLexer(SqlSyntax.H2);

	private List<String> significant(SqlLexer lexer, String sql) {
		return lexer.tokenize(sql).tokens().stream().filter(t -> t.type().isSignificant())
			.map(t -> t.type() + ":" + t.text()).toList();
	}

	@Test
	void tokensCoverTheWholeTextWithoutGaps() {
		String sql = "SELECT a::text, 'x''y' /* c /* nested */ */ FROM t -- tail\nWHERE b = :b AND c ?| array['k']";
		SqlLexer.Result result = this.postgres.tokenize(sql);
		StringBuilder joined = new StringBuilder();
		int expectedStart = 0;
		for (SqlToken token : result.tokens()) {
			assertThat(token.start()).isEqualTo(expectedStart);
			joined.append(token.text());
			expectedStart = token.end();
		}
		assertThat(joined.toString()).isEqualTo(sql);
		assertThat(result.unterminated()).isFalse();
	}

	@Test
	void namedParameterIsFoundOutsideLiteralsAndComments() {
		assertThat(significant(this.postgres, "SELECT ':a', \":b\", $$ :c $$, $tag$ :d $tag$, E'\\' :e' /* :f */ -- :g\n, :h"))
			.containsExactly("WORD:SELECT", "STRING:':a'", "COMMA:,", "QUOTED_IDENTIFIER:\":b\"", "COMMA:,",
					"STRING:$$ :c $$", "COMMA:,", "STRING:$tag$ :d $tag$", "COMMA:,", "STRING:E'\\' :e'", "COMMA:,",
					"NAMED_PARAMETER::h");
	}

	@Test
	void castsAreNotParameters() {
		assertThat(significant(this.postgres, "SELECT 'a'::text, :text::jsonb, x::int[]")).containsExactly("WORD:SELECT",
				"STRING:'a'", "CAST:::", "WORD:text", "COMMA:,", "NAMED_PARAMETER::text", "CAST:::", "WORD:jsonb",
				"COMMA:,", "WORD:x", "CAST:::", "WORD:int", "PUNCTUATION:[", "PUNCTUATION:]");
	}

	@Test
	void jsonOperatorsStayOperatorsOnPostgres() {
		assertThat(significant(this.postgres, "a ? 'k' AND b ?| c AND d ?& e")).containsExactly("WORD:a",
				"OPERATOR:?", "STRING:'k'", "WORD:AND", "WORD:b", "OPERATOR:?|", "WORD:c", "WORD:AND", "WORD:d",
				"OPERATOR:?&", "WORD:e");
	}

	@Test
	void questionMarksArePlaceholdersOnMysql() {
		assertThat(significant(this.mysql, "a = ? AND b = ?")).containsExactly("WORD:a", "OPERATOR:=",
				"POSITIONAL_PARAMETER:?", "WORD:AND", "WORD:b", "OPERATOR:=", "POSITIONAL_PARAMETER:?");
	}

	@Test
	void positionalMarkersAndDollarQuotesAreToldApart() {
		assertThat(significant(this.postgres, "SELECT $1, $10, $$x$$, $a$y$a$")).containsExactly("WORD:SELECT",
				"POSITIONAL_PARAMETER:$1", "COMMA:,", "POSITIONAL_PARAMETER:$10", "COMMA:,", "STRING:$$x$$", "COMMA:,",
				"STRING:$a$y$a$");
	}

	@Test
	void nestedCommentsNestOnPostgresOnly() {
		assertThat(significant(this.postgres, "/* a /* b */ c */ SELECT 1")).containsExactly("WORD:SELECT", "NUMBER:1");
		assertThat(significant(this.mysql, "/* a /* b */ SELECT 1")).containsExactly("WORD:SELECT", "NUMBER:1");
	}

	@Test
	void mysqlExecutableCommentsAreCode() {
		assertThat(significant(this.mysql, "SELECT 1 /*!50000 UNION SELECT 2 */")).containsExactly("WORD:SELECT",
				"NUMBER:1", "WORD:UNION", "WORD:SELECT", "NUMBER:2");
	}

	@Test
	void mysqlStringsUseBackslashEscapesAndDoubleQuotes() {
		assertThat(significant(this.mysql, "SELECT 'it\\'s :x', \"dq :y\", `col`, # comment :z\n :w"))
			.containsExactly("WORD:SELECT", "STRING:'it\\'s :x'", "COMMA:,", "STRING:\"dq :y\"", "COMMA:,",
					"QUOTED_IDENTIFIER:`col`", "COMMA:,", "NAMED_PARAMETER::w");
	}

	@Test
	void standardStringsHaveNoBackslashEscapesOnPostgres() {
		// with standard_conforming_strings the backslash is an ordinary character: the literal ends at the 2nd quote
		assertThat(significant(this.postgres, "SELECT 'a\\', :p")).containsExactly("WORD:SELECT", "STRING:'a\\'",
				"COMMA:,", "NAMED_PARAMETER::p");
	}

	@Test
	void unicodeEscapeIdentifiersAndStringsAreSingleTokens() {
		assertThat(significant(this.postgres, "SELECT U&\"\\0070g_sleep\"(1), U&'x'")).containsExactly("WORD:SELECT",
				"QUOTED_IDENTIFIER:U&\"\\0070g_sleep\"", "LEFT_PAREN:(", "NUMBER:1", "RIGHT_PAREN:)", "COMMA:,",
				"STRING:U&'x'");
	}

	@Test
	void unterminatedLiteralsAreReported() {
		assertThat(this.postgres.tokenize("SELECT 'open").unterminated()).isTrue();
		assertThat(this.postgres.tokenize("SELECT 1 /* open").unterminated()).isTrue();
		assertThat(this.postgres.tokenize("SELECT $$ open").unterminated()).isTrue();
		assertThat(this.postgres.tokenize("SELECT \"open").unterminated()).isTrue();
	}

	@Test
	void numbersWithDecimalsAndExponents() {
		assertThat(significant(this.postgres, "SELECT 1.5e-3, .5, 10")).containsExactly("WORD:SELECT",
				"NUMBER:1.5e-3", "COMMA:,", "NUMBER:.5", "COMMA:,", "NUMBER:10");
	}

	// Each test below pins a place where the server reads code and a lexer that differed would see a literal or a
	// comment: validation would then miss the code.

	@Test
	void mysqlDoubleDashIsACommentOnlyBeforeWhiteSpace() {
		assertThat(significant(this.mysql, "SELECT 1--1")).containsExactly("WORD:SELECT", "NUMBER:1", "OPERATOR:--",
				"NUMBER:1");
		assertThat(significant(this.mysql, "SELECT --sleep(5)")).containsExactly("WORD:SELECT", "OPERATOR:--",
				"WORD:sleep", "LEFT_PAREN:(", "NUMBER:5", "RIGHT_PAREN:)");
		assertThat(significant(this.mysql, "SELECT 1 -- c\nFROM t")).containsExactly("WORD:SELECT", "NUMBER:1",
				"WORD:FROM", "WORD:t");
		assertThat(significant(this.mysql, "SELECT 1 --\tc")).containsExactly("WORD:SELECT", "NUMBER:1");
		assertThat(significant(this.mysql, "SELECT 1 --")).containsExactly("WORD:SELECT", "NUMBER:1");
		assertThat(significant(this.postgres, "SELECT 1--1")).containsExactly("WORD:SELECT", "NUMBER:1");
	}

	@Test
	void lineCommentsEndAtCarriageReturnOnPostgresAndH2ButNotOnMysql() {
		assertThat(significant(this.postgres, "SELECT 1 -- c\r; SELECT 2")).containsExactly("WORD:SELECT", "NUMBER:1",
				"SEMICOLON:;", "WORD:SELECT", "NUMBER:2");
		assertThat(significant(this.h2, "SELECT 1 -- c\r; SELECT 2")).containsExactly("WORD:SELECT", "NUMBER:1",
				"SEMICOLON:;", "WORD:SELECT", "NUMBER:2");
		assertThat(significant(this.mysql, "SELECT 1 # c\r'\n; SELECT 2")).containsExactly("WORD:SELECT", "NUMBER:1",
				"SEMICOLON:;", "WORD:SELECT", "NUMBER:2");
	}

	@Test
	void h2HasDoubleSlashCommentsNestedCommentsAndBacktickIdentifiers() {
		assertThat(significant(this.h2, "SELECT 1 // it's\n; SELECT 2")).containsExactly("WORD:SELECT", "NUMBER:1",
				"SEMICOLON:;", "WORD:SELECT", "NUMBER:2");
		assertThat(significant(this.h2, "/* a /* b */ ' */ SELECT 1")).containsExactly("WORD:SELECT", "NUMBER:1");
		assertThat(significant(this.h2, "SELECT `a'b` FROM t")).containsExactly("WORD:SELECT",
				"QUOTED_IDENTIFIER:`a'b`", "WORD:FROM", "WORD:t");
		assertThat(significant(this.postgres, "SELECT 1 // 2")).containsExactly("WORD:SELECT", "NUMBER:1",
				"OPERATOR://", "NUMBER:2");
	}

	@Test
	void escapeStringsOnlyWhereTheDialectHasThem() {
		assertThat(significant(this.postgres, "SELECT E'\\';'")).containsExactly("WORD:SELECT", "STRING:E'\\';'");
		assertThat(significant(this.h2, "SELECT E'\\';'")).containsExactly("WORD:SELECT", "WORD:E", "STRING:'\\'",
				"SEMICOLON:;", "STRING:'");
		assertThat(this.h2.tokenize("SELECT E'\\';'").unterminated()).isTrue();
	}

	@Test
	void unicodeEscapesOnlyWhereTheDialectHasThem() {
		// MySQL reads U & '...' with backslash escapes: the literal runs to the last quote
		assertThat(significant(this.mysql, "SELECT U&'\\' , ' ; SELECT 2 -- '")).containsExactly("WORD:SELECT",
				"WORD:U", "OPERATOR:&", "STRING:'\\' , '", "SEMICOLON:;", "WORD:SELECT", "NUMBER:2");
		assertThat(significant(this.h2, "SELECT U&\"\\0041\"")).containsExactly("WORD:SELECT",
				"QUOTED_IDENTIFIER:U&\"\\0041\"");
	}

	@Test
	void mariadbExecutableCommentsAreCode() {
		assertThat(significant(this.mysql, "SELECT 1 /*M!100100 ; DROP TABLE t */")).containsExactly("WORD:SELECT",
				"NUMBER:1", "SEMICOLON:;", "WORD:DROP", "WORD:TABLE", "WORD:t");
		assertThat(significant(this.postgres, "SELECT 1 /*M! ; DROP TABLE t */")).containsExactly("WORD:SELECT",
				"NUMBER:1");
	}

	@Test
	void nonAsciiCharactersArePartOfIdentifiersOnPostgresAndMysql() {
		// an em space or a no-break space is not white space there, so "a\u2003$$" is one identifier, not a dollar quote
		String sql = "SELECT 1 AS a\u2003$$; DROP TABLE t; SELECT 1 AS b\u00a0$$";
		assertThat(significant(this.postgres, sql)).containsExactly("WORD:SELECT", "NUMBER:1", "WORD:AS",
				"WORD:a\u2003$$", "SEMICOLON:;", "WORD:DROP", "WORD:TABLE", "WORD:t", "SEMICOLON:;", "WORD:SELECT",
				"NUMBER:1", "WORD:AS", "WORD:b\u00a0$$");
		assertThat(significant(this.mysql, "SELECT\u00a0sleep(1)")).containsExactly("WORD:SELECT\u00a0sleep",
				"LEFT_PAREN:(", "NUMBER:1", "RIGHT_PAREN:)");
		assertThat(significant(this.postgres, "SELECT \u0661")).containsExactly("WORD:SELECT", "WORD:\u0661");
	}

	@Test
	void h2TreatsUnicodeSpacesAsWhiteSpace() {
		assertThat(significant(this.h2, "SELECT\u00a0FILE_READ('x')")).containsExactly("WORD:SELECT", "WORD:FILE_READ",
				"LEFT_PAREN:(", "STRING:'x'", "RIGHT_PAREN:)");
		assertThat(significant(this.h2, "SELECT\u0001x")).containsExactly("WORD:SELECT\u0001x");
	}

	@Test
	void lettersAfterANumberAreNotPartOfIt() {
		assertThat(significant(this.postgres, "SELECT 1 WHERE a=1or 1=1")).containsExactly("WORD:SELECT", "NUMBER:1",
				"WORD:WHERE", "WORD:a", "OPERATOR:=", "NUMBER:1", "WORD:or", "NUMBER:1", "OPERATOR:=", "NUMBER:1");
		assertThat(significant(this.postgres, "SELECT 0x1F, 0b101, 1_000_000, 2e10, 3.5E-2x")).containsExactly(
				"WORD:SELECT", "NUMBER:0x1F", "COMMA:,", "NUMBER:0b101", "COMMA:,", "NUMBER:1_000_000", "COMMA:,",
				"NUMBER:2e10", "COMMA:,", "NUMBER:3.5E-2", "WORD:x");
	}


	@Test
	void anEscapeStringContinuesAcrossANewlineWithItsEscapes() {
		// E'a' and the run after the newline are one literal, so \' there is a quote: the server runs pg_sleep
		String sql = "SELECT 1 WHERE 1 = 1 AND E'a'\n'\\'' <> '' AND 1=(SELECT 1 FROM pg_sleep(2)) -- '";
		assertThat(significant(this.postgres, sql)).containsSequence("WORD:AND", "STRING:E'a'\n'\\''", "OPERATOR:<>",
				"STRING:''", "WORD:AND").contains("WORD:pg_sleep");
		// a line comment may stand in the gap; without a newline, or with a block comment, there is no continuation
		assertThat(significant(this.postgres, "SELECT 'a' -- it's\n 'b', 'c' 'd'")).containsExactly("WORD:SELECT",
				"STRING:'a' -- it's\n 'b'", "COMMA:,", "STRING:'c'", "STRING:'d'");
		assertThat(significant(this.postgres, "SELECT 'a' /* */\n'b'")).containsExactly("WORD:SELECT", "STRING:'a'",
				"STRING:'b'");
		// MySQL and H2 have no such rule
		assertThat(significant(this.h2, "SELECT 'a'\n'b'")).containsExactly("WORD:SELECT", "STRING:'a'", "STRING:'b'");
	}

	@Test
	void literalValuesAreReadAsPostgresReadsThem() {
		assertThat(value("SELECT E'a'\n'\\''")).isEqualTo("a'");
		assertThat(value("SELECT 'a' -- x\n'b'")).isEqualTo("ab");
		assertThat(value("SELECT U&'d!0061t!+000061' UESCAPE '!'")).isEqualTo("data");
		assertThat(value("SELECT U&'\\D83D\\DE00'")).isEqualTo("\uD83D\uDE00");
		assertThat(value("SELECT E'\\303\\251\\x41\\u00e9\\q'")).isEqualTo("\u00e9A\u00e9q");
		assertThat(value("SELECT X'1F'")).isEqualTo("00011111");
		assertThat(value("SELECT $t$ it's $t$")).isEqualTo(" it's ");
		// what the server refuses
		assertThat(value("SELECT E'\\0'")).isNull();
		assertThat(value("SELECT E'\\u12'")).isNull();
		assertThat(value("SELECT U&'!' UESCAPE '+'")).isNull();
		assertThat(value("SELECT B'012'")).isNull();
	}

	private String value(String sql) {
		List<SqlToken> words = this.postgres.tokenize(sql).tokens().stream().filter(t -> t.type().isSignificant()).toList();
		PostgresLiteral literal = PostgresLiteral.read(words, 1);
		assertThat(literal).isNotNull();
		assertThat(literal.lastToken()).isEqualTo(words.size() - 1);
		return literal.value();
	}

}
