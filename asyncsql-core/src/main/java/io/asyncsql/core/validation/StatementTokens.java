package io.asyncsql.core.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.TokenType;
import org.jspecify.annotations.Nullable;

/**
 * The significant tokens of a statement (comments and white space left out, so a comment between two words never
 * hides a phrase) with the questions the validation rules ask of them. Names are read once: a word in upper case, a
 * quoted identifier as the name it stands for ({@code "pg_sleep"}, {@code U&"\0070g_sleep"}).
 */
final class StatementTokens {

	private static final Set<String> EXPLAIN_OPTIONS = Set.of("ANALYZE", "ANALYSE", "VERBOSE", "PLAN", "FOR",
			"EXTENDED", "PARTITIONS");

	private static final Set<String> QUERY_STARTS = Set.of("SELECT", "WITH", "VALUES", "TABLE");

	// words after which "name (" declares columns rather than calling a function: INSERT INTO t (a), CREATE TABLE
	// t (a), REFERENCES t (a), CREATE TABLE IF NOT EXISTS t (a), WITH t (a) AS ...
	private static final Set<String> DECLARING_WORDS = Set.of("INTO", "TABLE", "REFERENCES", "EXISTS", "WITH",
			"RECURSIVE");

	private final List<SqlToken> tokens;

	private final @Nullable String[] names;

	private StatementTokens(List<SqlToken> tokens) {
		this.tokens = tokens;
		this.names = new String[tokens.size()];
		for (int i = 0; i < tokens.size(); i++) {
			SqlToken token = tokens.get(i);
			if (token.type() == TokenType.WORD) {
				this.names[i] = token.text().toUpperCase(Locale.ROOT);
			}
			else if (token.type() == TokenType.QUOTED_IDENTIFIER) {
				this.names[i] = IdentifierText.unquote(token, tokens, i).toUpperCase(Locale.ROOT);
			}
		}
	}

	/**
	 * The significant tokens of a lexed text.
	 * @param tokens every token of the text
	 * @return the view
	 */
	static StatementTokens of(List<SqlToken> tokens) {
		List<SqlToken> significant = new ArrayList<>(tokens.size());
		for (SqlToken token : tokens) {
			if (token.type().isSignificant()) {
				significant.add(token);
			}
		}
		return new StatementTokens(significant);
	}

	List<SqlToken> list() {
		return this.tokens;
	}

	int size() {
		return this.tokens.size();
	}

	SqlToken get(int index) {
		return this.tokens.get(index);
	}

	TokenType type(int index) {
		return (index >= 0 && index < this.tokens.size()) ? this.tokens.get(index).type() : TokenType.WHITESPACE;
	}

	/**
	 * The name at an index: a word in upper case, or what a quoted identifier names in upper case.
	 * @param index the token index, may be out of range
	 * @return the name, or {@code null} for other tokens
	 */
	@Nullable String name(int index) {
		return (index >= 0 && index < this.names.length) ? this.names[index] : null;
	}

	/**
	 * Whether the name at an index is one of a set.
	 * @param index the token index, may be out of range
	 * @param names upper-case names
	 * @return {@code false} also when the token has no name
	 */
	boolean nameIn(int index, Set<String> names) {
		String name = name(index);
		return name != null && names.contains(name);
	}

	/**
	 * Whether the token at an index is an unquoted word of a set.
	 * @param index the token index, may be out of range
	 * @param keywords upper-case keywords
	 * @return {@code false} also when the token is not a word
	 */
	boolean wordIn(int index, Set<String> keywords) {
		String word = word(index);
		return word != null && keywords.contains(word);
	}

	/**
	 * Whether the token at an index is the (unquoted) keyword.
	 * @param index the token index, may be out of range
	 * @param keyword an upper-case keyword
	 * @return {@code true} when it is
	 */
	boolean isWord(int index, String keyword) {
		return type(index) == TokenType.WORD && keyword.equals(this.names[index]);
	}

	/**
	 * The upper-case word at an index.
	 * @param index the token index, may be out of range
	 * @return the word, or {@code null} when the token is not an unquoted word
	 */
	@Nullable String word(int index) {
		return (type(index) == TokenType.WORD) ? this.names[index] : null;
	}

	/**
	 * Whether a phrase starts at an index. Quoted identifiers match too, so {@code LANGUAGE "c"} is
	 * {@code LANGUAGE C}.
	 * @param index where the phrase would start
	 * @param phrase upper-case words
	 * @return {@code true} when every word follows in order
	 */
	boolean phraseAt(int index, List<String> phrase) {
		if (index < 0 || index + phrase.size() > this.tokens.size()) {
			return false;
		}
		for (int j = 0; j < phrase.size(); j++) {
			if (!phrase.get(j).equals(this.names[index + j])) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The first of several phrases that starts at an index.
	 * @param index where a phrase would start
	 * @param phrases candidate phrases
	 * @return the matching phrase, or {@code null}
	 */
	@Nullable List<String> firstPhraseAt(int index, List<List<String>> phrases) {
		for (List<String> phrase : phrases) {
			if (phraseAt(index, phrase)) {
				return phrase;
			}
		}
		return null;
	}

	/**
	 * Whether the name at an index is called as a function: a parenthesis follows (after a {@code UESCAPE} clause
	 * of a {@code U&"..."} name), and the name is not a table or CTE being declared with its columns.
	 * @param index the index of a name
	 * @return {@code true} for a call
	 */
	boolean isCall(int index) {
		int next = index + 1;
		if (isWord(next, "UESCAPE") && type(next + 1) == TokenType.STRING) {
			next += 2;
		}
		if (type(next) != TokenType.LEFT_PAREN) {
			return false;
		}
		return !wordIn(index - 1, DECLARING_WORDS);
	}

	/**
	 * The index of the parenthesis closing the one at {@code open}.
	 * @param open the index of a {@link TokenType#LEFT_PAREN}
	 * @return its partner, or the last index when it is never closed
	 */
	int closingParen(int open) {
		int depth = 0;
		for (int i = open; i < this.tokens.size(); i++) {
			TokenType type = this.tokens.get(i).type();
			if (type == TokenType.LEFT_PAREN) {
				depth++;
			}
			else if (type == TokenType.RIGHT_PAREN && --depth == 0) {
				return i;
			}
		}
		return this.tokens.size() - 1;
	}

	/**
	 * Where the statement starts: its first token after empty statements ({@code ;}) and opening parentheses.
	 * @return the index, or -1 when there is none
	 */
	int statementStart() {
		return skipOpenings(0);
	}

	/**
	 * The statement an {@code EXPLAIN} at an index explains: after its options, in parentheses
	 * ({@code EXPLAIN (ANALYZE, BUFFERS)}) or as words ({@code EXPLAIN ANALYZE VERBOSE}, {@code FORMAT=JSON}).
	 * @param explain the index of the {@code EXPLAIN} keyword
	 * @return the index of the explained statement's first token, or -1
	 */
	int explainedStatement(int explain) {
		int i = explain + 1;
		if (type(i) == TokenType.LEFT_PAREN && type(i + 1) == TokenType.WORD && !wordIn(i + 1, QUERY_STARTS)) {
			i = closingParen(i) + 1;
		}
		while (i < this.tokens.size()) {
			if (wordIn(i, EXPLAIN_OPTIONS)) {
				i++;
			}
			else if (isWord(i, "FORMAT")) {
				i += (type(i + 1) == TokenType.OPERATOR) ? 3 : 2;
			}
			else {
				break;
			}
		}
		return skipOpenings(i);
	}

	private int skipOpenings(int from) {
		int i = from;
		while (i < this.tokens.size()
				&& (type(i) == TokenType.SEMICOLON || type(i) == TokenType.LEFT_PAREN)) {
			i++;
		}
		return (i < this.tokens.size()) ? i : -1;
	}

}
