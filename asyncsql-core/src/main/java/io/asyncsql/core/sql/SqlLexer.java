package io.asyncsql.core.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits SQL text into tokens following one dialect's {@link SqlSyntax}: string literals of every form, quoted
 * identifiers, dollar-quoted bodies, comments (nested where the dialect nests them), casts, JSON operators and
 * parameters. Everything the library decides about a statement (its parameters, its kind, whether it is allowed)
 * is decided on these tokens, never on raw text, so nothing inside a literal or a comment is ever mistaken for
 * code. Stateless and thread-safe.
 */
public final class SqlLexer {

	private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

	private final SqlSyntax syntax;

	/**
	 * Creates a lexer for a dialect.
	 * @param syntax the dialect's lexical rules
	 */
	public SqlLexer(SqlSyntax syntax) {
		this.syntax = syntax;
	}

	/** @return the lexical rules this lexer follows */
	public SqlSyntax syntax() {
		return this.syntax;
	}

	/**
	 * Tokenizes a SQL text. Never fails: an unterminated literal or comment runs to the end of the text and is
	 * reported by {@link Result#unterminated()}.
	 * @param sql the text
	 * @return the tokens, covering the text without gaps
	 */
	public Result tokenize(String sql) {
		return new Run(sql).tokenize();
	}

	/**
	 * The tokens of a text.
	 *
	 * @param tokens every token in order, covering the whole text
	 * @param unterminated whether a literal, quoted identifier or comment was still open at the end
	 */
	public record Result(List<SqlToken> tokens, boolean unterminated) {
	}

	private final class Run {

		private final String sql;

		private final int length;

		private final List<SqlToken> tokens = new ArrayList<>();

		private boolean unterminated;

		private boolean inExecutableComment;

		private int pos;

		Run(String sql) {
			this.sql = sql;
			this.length = sql.length();
		}

		Result tokenize() {
			while (this.pos < this.length) {
				int start = this.pos;
				TokenType type = next();
				this.tokens.add(new SqlToken(type, start, this.pos, this.sql.substring(start, this.pos)));
			}
			return new Result(List.copyOf(this.tokens), this.unterminated);
		}

		private char at(int index) {
			return (index < this.length) ? this.sql.charAt(index) : '\0';
		}

		private TokenType next() {
			char c = this.sql.charAt(this.pos);
			char n = at(this.pos + 1);
			if (Character.isWhitespace(c)) {
				while (this.pos < this.length && Character.isWhitespace(this.sql.charAt(this.pos))) {
					this.pos++;
				}
				return TokenType.WHITESPACE;
			}
			if (c == '-' && n == '-' || c == '#' && SqlLexer.this.syntax.hashComments()) {
				return lineComment();
			}
			if (c == '/' && n == '*') {
				return blockComment();
			}
			if (c == '*' && n == '/' && this.inExecutableComment) {
				// the end of a MySQL executable comment: its body was code
				this.inExecutableComment = false;
				this.pos += 2;
				return TokenType.WHITESPACE;
			}
			if (c == '\'') {
				return quoted('\'', SqlLexer.this.syntax.backslashEscapes(), TokenType.STRING);
			}
			if (c == '"') {
				return SqlLexer.this.syntax.doubleQuotedStrings()
						? quoted('"', SqlLexer.this.syntax.backslashEscapes(), TokenType.STRING)
						: quoted('"', false, TokenType.QUOTED_IDENTIFIER);
			}
			if (c == '`' && SqlLexer.this.syntax.backtickIdentifiers()) {
				return quoted('`', false, TokenType.QUOTED_IDENTIFIER);
			}
			if (c == '$') {
				return dollar();
			}
			if (c == ':') {
				if (n == ':') {
					this.pos += 2;
					return TokenType.CAST;
				}
				if (isIdentifierStart(n)) {
					this.pos++;
					skipIdentifierPart();
					return TokenType.NAMED_PARAMETER;
				}
				this.pos++;
				return TokenType.OPERATOR;
			}
			if (c == '?' && SqlLexer.this.syntax.questionMarkPlaceholders()) {
				this.pos++;
				return TokenType.POSITIONAL_PARAMETER;
			}
			if (Character.isDigit(c) || c == '.' && Character.isDigit(n)) {
				return number();
			}
			if (isIdentifierStart(c)) {
				return word(c, n);
			}
			if (OPERATOR_CHARS.indexOf(c) >= 0) {
				return operator();
			}
			this.pos++;
			return switch (c) {
				case '(' -> TokenType.LEFT_PAREN;
				case ')' -> TokenType.RIGHT_PAREN;
				case ',' -> TokenType.COMMA;
				case ';' -> TokenType.SEMICOLON;
				default -> TokenType.PUNCTUATION;
			};
		}

		private TokenType lineComment() {
			while (this.pos < this.length && this.sql.charAt(this.pos) != '\n') {
				this.pos++;
			}
			return TokenType.COMMENT;
		}

		private TokenType blockComment() {
			if (SqlLexer.this.syntax.executableComments() && at(this.pos + 2) == '!') {
				// MySQL runs the body of /*! ... */ (optionally versioned: /*!50001 ... */): lex it as code
				this.pos += 3;
				while (this.pos < this.length && Character.isDigit(this.sql.charAt(this.pos))) {
					this.pos++;
				}
				this.inExecutableComment = true;
				return TokenType.WHITESPACE;
			}
			int depth = 0;
			while (this.pos < this.length) {
				char c = this.sql.charAt(this.pos);
				char n = at(this.pos + 1);
				if (c == '/' && n == '*' && (depth == 0 || SqlLexer.this.syntax.nestedBlockComments())) {
					depth++;
					this.pos += 2;
				}
				else if (c == '*' && n == '/') {
					depth--;
					this.pos += 2;
					if (depth == 0) {
						return TokenType.COMMENT;
					}
				}
				else {
					this.pos++;
				}
			}
			this.unterminated = true;
			return TokenType.COMMENT;
		}

		// Reads a quoted run from this.pos (at the opening quote). A doubled quote stands for itself.
		private TokenType quoted(char quote, boolean backslashEscapes, TokenType type) {
			this.pos++;
			while (this.pos < this.length) {
				char c = this.sql.charAt(this.pos);
				if (backslashEscapes && c == '\\') {
					this.pos += 2;
				}
				else if (c == quote) {
					if (at(this.pos + 1) == quote) {
						this.pos += 2;
					}
					else {
						this.pos++;
						return type;
					}
				}
				else {
					this.pos++;
				}
			}
			this.pos = this.length;
			this.unterminated = true;
			return type;
		}

		private TokenType dollar() {
			char n = at(this.pos + 1);
			if (Character.isDigit(n)) {
				this.pos++;
				while (this.pos < this.length && Character.isDigit(this.sql.charAt(this.pos))) {
					this.pos++;
				}
				return TokenType.POSITIONAL_PARAMETER;
			}
			if (SqlLexer.this.syntax.dollarQuotes()) {
				int tagEnd = this.pos + 1;
				if (isIdentifierStart(at(tagEnd))) {
					tagEnd++;
					while (tagEnd < this.length && isTagPart(this.sql.charAt(tagEnd))) {
						tagEnd++;
					}
				}
				if (at(tagEnd) == '$') {
					String tag = this.sql.substring(this.pos, tagEnd + 1);
					int close = this.sql.indexOf(tag, tagEnd + 1);
					if (close < 0) {
						this.pos = this.length;
						this.unterminated = true;
					}
					else {
						this.pos = close + tag.length();
					}
					return TokenType.STRING;
				}
			}
			this.pos++;
			return TokenType.PUNCTUATION;
		}

		private TokenType number() {
			boolean seenDot = false;
			boolean seenExponent = false;
			while (this.pos < this.length) {
				char c = this.sql.charAt(this.pos);
				if (Character.isDigit(c)) {
					this.pos++;
				}
				else if (c == '.' && !seenDot && !seenExponent && at(this.pos + 1) != '.') {
					seenDot = true;
					this.pos++;
				}
				else if ((c == 'e' || c == 'E') && !seenExponent && (Character.isDigit(at(this.pos + 1))
						|| (at(this.pos + 1) == '+' || at(this.pos + 1) == '-') && Character.isDigit(at(this.pos + 2)))) {
					seenExponent = true;
					this.pos += 2;
				}
				else if (Character.isLetterOrDigit(c) || c == '_') {
					// hex literals (0x1F), digit separators and other suffixes stay one token
					this.pos++;
				}
				else {
					break;
				}
			}
			return TokenType.NUMBER;
		}

		private TokenType word(char c, char n) {
			// string literals with a prefix: E'..', B'..', X'..', N'..', U&'..' and U&".."
			if (n == '\'' && "EeBbXxNn".indexOf(c) >= 0) {
				this.pos++;
				boolean escapes = (c == 'E' || c == 'e') || SqlLexer.this.syntax.backslashEscapes();
				return quoted('\'', escapes, TokenType.STRING);
			}
			if ((c == 'U' || c == 'u') && n == '&' && (at(this.pos + 2) == '\'' || at(this.pos + 2) == '"')) {
				char quote = at(this.pos + 2);
				this.pos += 2;
				return quoted(quote, false, (quote == '\'') ? TokenType.STRING : TokenType.QUOTED_IDENTIFIER);
			}
			this.pos++;
			skipIdentifierPart();
			return TokenType.WORD;
		}

		private void skipIdentifierPart() {
			while (this.pos < this.length && isIdentifierPart(this.sql.charAt(this.pos))) {
				this.pos++;
			}
		}

		private TokenType operator() {
			this.pos++;
			while (this.pos < this.length) {
				char c = this.sql.charAt(this.pos);
				char n = at(this.pos + 1);
				boolean commentStart = (c == '-' && n == '-') || (c == '/' && n == '*')
						|| (c == '#' && SqlLexer.this.syntax.hashComments());
				boolean placeholder = (c == '?' && SqlLexer.this.syntax.questionMarkPlaceholders());
				boolean executableCommentEnd = (c == '*' && n == '/' && this.inExecutableComment);
				if (OPERATOR_CHARS.indexOf(c) < 0 || commentStart || placeholder || executableCommentEnd) {
					break;
				}
				this.pos++;
			}
			return TokenType.OPERATOR;
		}

	}

	static boolean isIdentifierStart(char c) {
		return Character.isLetter(c) || c == '_';
	}

	static boolean isIdentifierPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$';
	}

	private static boolean isTagPart(char c) {
		return Character.isLetterOrDigit(c) || c == '_';
	}

}
