package io.asyncsql.core.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * A lexed SQL text: its tokens, its parameter occurrences, what kind of statement it is and how many statements it
 * holds. Templates are immutable and cached by SQL text (see {@link SqlTemplateCache}), so a statement is lexed
 * once however often it runs.
 */
public final class SqlTemplate {

	private final String sql;

	private final List<SqlToken> tokens;

	private final boolean unterminated;

	private final List<Placeholder> placeholders;

	private final Map<String, Integer> parameterIndexes;

	private final List<String> parameterNames;

	private final int positionalMarkers;

	private final int maxPositional;

	private final StatementKind kind;

	private final boolean readOnly;

	private final int statementCount;

	private final int nulPosition;

	// E'...' literals written with \' get '' instead (the same string to the server): r2dbc-postgresql splits
	// statements with a parser of its own that ends a string at any quote; null when there is none
	private final @Nullable List<SqlToken> escapedQuoteStrings;

	private final String sendableSql;

	// rendered SQL by the type hints applied, for statements that need no list expansion
	private final Map<Map<String, String>, String> renderings = new ConcurrentHashMap<>(4);

	private SqlTemplate(String sql, SqlLexer.Result lexed) {
		this.sql = sql;
		this.tokens = lexed.tokens();
		this.unterminated = lexed.unterminated();
		List<Placeholder> placeholders = new ArrayList<>();
		Map<String, Integer> names = new LinkedHashMap<>();
		int positional = 0;
		int maxPositional = 0;
		for (int i = 0; i < this.tokens.size(); i++) {
			SqlToken token = this.tokens.get(i);
			if (token.type() == TokenType.NAMED_PARAMETER) {
				String name = token.text().substring(1);
				names.putIfAbsent(name, names.size());
				placeholders.add(placeholder(name, 0, i));
			}
			else if (token.type() == TokenType.POSITIONAL_PARAMETER) {
				positional++;
				int position = token.text().startsWith("$") ? markerNumber(token.text()) : positional;
				maxPositional = Math.max(maxPositional, position);
				placeholders.add(placeholder(null, position, i));
			}
		}
		this.placeholders = List.copyOf(placeholders);
		this.parameterIndexes = Collections.unmodifiableMap(names);
		this.parameterNames = List.copyOf(names.keySet());
		this.positionalMarkers = positional;
		this.maxPositional = maxPositional;
		this.statementCount = countStatements();
		this.nulPosition = sql.indexOf('\0');
		this.escapedQuoteStrings = escapedQuoteStrings(this.tokens);
		this.sendableSql = (this.escapedQuoteStrings != null) ? rewritten(0, sql.length()) : sql;
		StatementShape shape = StatementShape.of(this.tokens);
		this.kind = shape.kind();
		this.readOnly = shape.kind() == StatementKind.SELECT && !shape.modifyingCte() && !hasWritingClause();
	}

	/**
	 * Lexes and analyses a SQL text.
	 * @param sql the text
	 * @param lexer the dialect's lexer
	 * @return the template
	 */
	public static SqlTemplate parse(String sql, SqlLexer lexer) {
		return new SqlTemplate(sql, lexer.tokenize(sql));
	}

	// the n of $n; a number beyond int (the binder refuses it) counts as Integer.MAX_VALUE rather than failing here
	private static int markerNumber(String marker) {
		long number = 0;
		for (int i = 1; i < marker.length(); i++) {
			number = Math.min(number * 10 + (marker.charAt(i) - '0'), Integer.MAX_VALUE);
		}
		return (int) number;
	}

	private Placeholder placeholder(String name, int position, int index) {
		int next = nextSignificant(index);
		boolean castFollows = next >= 0 && this.tokens.get(next).type() == TokenType.CAST;
		// IN ( :p )  or  NOT IN ( :p )
		int open = previousSignificant(index);
		int in = (open >= 0) ? previousSignificant(open) : -1;
		boolean inList = in >= 0 && next >= 0 && this.tokens.get(open).type() == TokenType.LEFT_PAREN
				&& this.tokens.get(in).isKeyword("IN") && this.tokens.get(next).type() == TokenType.RIGHT_PAREN;
		if (!inList) {
			boolean subscriptFollows = next >= 0 && this.tokens.get(next).text().equals("[");
			return new Placeholder(name, position, index, castFollows, -1, -1, false, subscriptFollows);
		}
		int not = previousSignificant(in);
		boolean negated = not >= 0 && this.tokens.get(not).isKeyword("NOT");
		return new Placeholder(name, position, index, false, negated ? not : in, next, negated, false);
	}

	private static @Nullable List<SqlToken> escapedQuoteStrings(List<SqlToken> tokens) {
		List<SqlToken> found = null;
		for (SqlToken token : tokens) {
			String text = token.text();
			if (token.type() == TokenType.STRING && text.length() > 1 && (text.charAt(0) == 'E' || text.charAt(0) == 'e')
					&& text.charAt(1) == '\'' && text.contains("\\'")) {
				if (found == null) {
					found = new ArrayList<>(2);
				}
				found.add(token);
			}
		}
		return found;
	}

	private String rewritten(int from, int to) {
		StringBuilder out = new StringBuilder(to - from + 8);
		appendText(out, from, to);
		return out.toString();
	}

	/**
	 * Appends the SQL text between two token boundaries as it is sent to the driver.
	 * @param out where to append
	 * @param from the start offset, at a token boundary
	 * @param to the end offset, at a token boundary
	 */
	void appendText(StringBuilder out, int from, int to) {
		if (this.escapedQuoteStrings == null) {
			out.append(this.sql, from, to);
			return;
		}
		int last = from;
		for (SqlToken token : this.escapedQuoteStrings) {
			if (token.start() >= from && token.end() <= to) {
				out.append(this.sql, last, token.start());
				appendWithDoubledQuotes(out, token.text());
				last = token.end();
			}
		}
		out.append(this.sql, last, to);
	}

	// inside E'...' a backslash escapes the next character; \' and '' both mean a quote
	private static void appendWithDoubledQuotes(StringBuilder out, String literal) {
		out.append(literal, 0, 2);
		for (int i = 2; i < literal.length(); i++) {
			char c = literal.charAt(i);
			if (c == '\\' && i + 1 < literal.length()) {
				char next = literal.charAt(i + 1);
				if (next == '\'') {
					out.append("''");
				}
				else {
					out.append(c).append(next);
				}
				i++;
			}
			else {
				out.append(c);
			}
		}
	}

	private int nextSignificant(int index) {
		for (int i = index + 1; i < this.tokens.size(); i++) {
			if (this.tokens.get(i).type().isSignificant()) {
				return i;
			}
		}
		return -1;
	}

	private int previousSignificant(int index) {
		for (int i = index - 1; i >= 0; i--) {
			if (this.tokens.get(i).type().isSignificant()) {
				return i;
			}
		}
		return -1;
	}

	/*
	 * Statements end at a semicolon, except inside the bodies the server reads as part of one statement: the
	 * BEGIN ATOMIC ... END body of CREATE [OR REPLACE] FUNCTION | PROCEDURE (where CASE ... END nests), and the
	 * parenthesised action list of CREATE [OR REPLACE] RULE. As in psql, BEGIN, CASE and END count only outside
	 * parentheses; a keyword used as a name (after AS or a dot) does not count.
	 */
	private int countStatements() {
		int count = 0;
		boolean content = false;
		StatementBody body = new StatementBody();
		for (SqlToken token : this.tokens) {
			if (token.type() == TokenType.SEMICOLON && !body.holdsSemicolon()) {
				if (content) {
					count++;
				}
				content = false;
				body = new StatementBody();
			}
			else if (token.type().isSignificant()) {
				content = true;
				body.next(token);
			}
		}
		return content ? count + 1 : count;
	}

	/** Where a statement is, for {@link #countStatements()}. */
	private static final class StatementBody {

		private final List<String> head = new ArrayList<>(4);

		private int parens;

		private int atomicDepth;

		private @Nullable SqlToken previous;

		void next(SqlToken token) {
			if (token.type() == TokenType.LEFT_PAREN) {
				this.parens++;
			}
			else if (token.type() == TokenType.RIGHT_PAREN) {
				this.parens = Math.max(0, this.parens - 1);
			}
			else if (token.type() == TokenType.WORD) {
				String word = token.text().toUpperCase(Locale.ROOT);
				if (this.head.size() < 4) {
					this.head.add(word);
				}
				boolean asName = this.previous != null
						&& (this.previous.isKeyword("AS") || ".".equals(this.previous.text()));
				if (this.parens == 0 && !asName && creates("FUNCTION", "PROCEDURE")) {
					if (word.equals("ATOMIC") && this.previous != null && this.previous.isKeyword("BEGIN")
							&& this.atomicDepth == 0) {
						this.atomicDepth = 1;
					}
					else if (word.equals("CASE") && this.atomicDepth > 0) {
						this.atomicDepth++;
					}
					else if (word.equals("END") && this.atomicDepth > 0) {
						this.atomicDepth--;
					}
				}
			}
			this.previous = token;
		}

		boolean holdsSemicolon() {
			return this.atomicDepth > 0 || this.parens > 0 && creates("RULE");
		}

		// CREATE [OR REPLACE] <one of the kinds>
		private boolean creates(String... kinds) {
			if (this.head.isEmpty() || !this.head.get(0).equals("CREATE")) {
				return false;
			}
			int kind = (this.head.size() > 2 && this.head.get(1).equals("OR") && this.head.get(2).equals("REPLACE")) ? 3
					: 1;
			return kind < this.head.size() && List.of(kinds).contains(this.head.get(kind));
		}

	}

	// INTO, row locks, or a call that may write (a user-defined function, nextval, an advisory lock)
	private boolean hasWritingClause() {
		SqlToken previous = null;
		for (SqlToken token : this.tokens) {
			if (!token.type().isSignificant()) {
				continue;
			}
			if (token.type() == TokenType.WORD) {
				String word = token.text();
				if (word.equalsIgnoreCase("INTO")) {
					return true;
				}
				// FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE take row locks
				if (previous != null && previous.isKeyword("FOR") && (word.equalsIgnoreCase("UPDATE")
						|| word.equalsIgnoreCase("SHARE") || word.equalsIgnoreCase("NO") || word.equalsIgnoreCase("KEY"))) {
					return true;
				}
			}
			if (token.type() == TokenType.LEFT_PAREN && previous != null && isUnknownCall(previous)) {
				return true;
			}
			previous = token;
		}
		return false;
	}

	private static boolean isUnknownCall(SqlToken beforeParen) {
		return switch (beforeParen.type()) {
			case WORD -> !SideEffectFreeCalls.contains(beforeParen.text());
			case QUOTED_IDENTIFIER -> true;
			default -> false;
		};
	}

	/** @return the SQL text as written */
	public String sql() {
		return this.sql;
	}

	/**
	 * The SQL text as it is sent when no parameter is rewritten: the text as written, except that
	 * {@code E'...'} literals use {@code ''} for a quote where they used a backslash.
	 * @return the text
	 */
	public String sendableSql() {
		return this.sendableSql;
	}

	/** @return every token, covering the whole text */
	public List<SqlToken> tokens() {
		return this.tokens;
	}

	/** @return the 0-based offset of the first NUL character (U+0000) in the text, or -1 when there is none */
	public int nulPosition() {
		return this.nulPosition;
	}

	/** @return whether a literal, quoted identifier or comment was left open */
	public boolean unterminated() {
		return this.unterminated;
	}

	/** @return every parameter occurrence in order */
	public List<Placeholder> placeholders() {
		return this.placeholders;
	}

	/** @return the distinct {@code :name} parameters mapped to their 0-based order of first appearance */
	public Map<String, Integer> parameterIndexes() {
		return this.parameterIndexes;
	}

	/** @return the distinct {@code :name} parameters in order of first appearance */
	public List<String> parameterNames() {
		return this.parameterNames;
	}

	/** @return whether the text has {@code :name} parameters */
	public boolean hasNamedParameters() {
		return !this.parameterIndexes.isEmpty();
	}

	/** @return how many positional markers ({@code $n} or {@code ?}) occur */
	public int positionalMarkers() {
		return this.positionalMarkers;
	}

	/** @return the highest {@code $n} (or the count of {@code ?} markers) */
	public int maxPositional() {
		return this.maxPositional;
	}

	/** @return what the statement does */
	public StatementKind kind() {
		return this.kind;
	}

	/**
	 * Whether running the statement twice cannot change data: a query without row locks or {@code INTO} that calls
	 * only keywords' lists, type modifiers and built-in functions known to be free of side effects (so not
	 * {@code nextval} nor any user-defined function, which may write). Such statements may be retried even when a
	 * connection broke mid-flight.
	 * @return {@code true} for read-only statements
	 */
	public boolean readOnly() {
		return this.readOnly;
	}

	/** @return the number of non-empty statements separated by {@code ;} */
	public int statementCount() {
		return this.statementCount;
	}

	/**
	 * A cached rendering of this template for a set of type hints.
	 * @param hints the hints the rendering applied
	 * @return the rendered SQL, or {@code null} when not cached yet
	 */
	@Nullable String cachedRendering(Map<String, String> hints) {
		return this.renderings.get(hints);
	}

	void cacheRendering(Map<String, String> hints, String sql) {
		// a handful of hint sets per statement is normal; beyond that, rendering again is cheap enough
		if (this.renderings.size() < 8) {
			this.renderings.put(hints, sql);
		}
	}

	/**
	 * The 0-based index of the first significant token of the statement, after leading comments.
	 * @return the index, or -1 when the text has no significant token
	 */
	public int firstSignificant() {
		return nextSignificant(-1);
	}

	/**
	 * The significant token at or after {@code index}.
	 * @param index where to start
	 * @return the token index, or -1
	 */
	public int significantFrom(int index) {
		return nextSignificant(index - 1);
	}

	@Override
	public String toString() {
		return "SqlTemplate[" + this.sql + "]";
	}

}
