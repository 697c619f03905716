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
			if (isWhitespace(c)) {
				while (this.pos < this.length && isWhitespace(this.sql.charAt(this.pos))) {
					this.pos++;
				}
				return TokenType.WHITESPACE;
			}
			if (lineCommentAt(this.pos)) {
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
			if (isDigit(c) || c == '.' && isDigit(n)) {
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

		private boolean lineCommentAt(int index) {
			char c = at(index);
			char n = at(index + 1);
			SqlSyntax syntax = SqlLexer.this.syntax;
			if (c == '-' && n == '-') {
				// MySQL: "--" followed by anything but white space or a control character is two minus signs
				return !syntax.dashCommentNeedsSpace() || index + 2 >= this.length || at(index + 2) <= ' '
						|| at(index + 2) == '\u007f';
			}
			return c == '#' && syntax.hashComments() || c == '/' && n == '/' && syntax.doubleSlashComments();
		}

		private TokenType lineComment() {
			boolean carriageReturnEnds = SqlLexer.this.syntax.carriageReturnEndsLineComment();
			while (this.pos < this.length) {
				char c = this.sql.charAt(this.pos);
				if (c == '\n' || c == '\r' && carriageReturnEnds) {
					break;
				}
				this.pos++;
			}
			return TokenType.COMMENT;
		}

		private TokenType blockComment() {
			int bang = (at(this.pos + 2) == 'M') ? this.pos + 3 : this.pos + 2;
			if (SqlLexer.this.syntax.executableComments() && at(bang) == '!') {
				// MySQL runs the body of /*! ... */ (optionally versioned: /*!50001 ... */), MariaDB also that of
				// /*M! ... */: lex it as code
				this.pos = bang + 1;
				while (this.pos < this.length && isDigit(this.sql.charAt(this.pos))) {
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
						int next = (quote == '\'' && SqlLexer.this.syntax.stringContinuation())
								? continuation(this.pos) : -1;
						if (next < 0) {
							return type;
						}
						// the literal goes on after the gap, with the same escapes
						this.pos = next + 1;
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

		/*
		 * Where a string literal continues (PostgreSQL's quotecontinue): after its closing quote, white space that
		 * holds a newline, and -- comments each ended by a newline, then a quote. Returns the index of that quote, or
		 * -1 when the literal ends here. A vertical tab counts as white space, as it does from PostgreSQL 16 on
		 * (PostgreSQL 15 refuses the statement instead, so reading on never hides code).
		 */
		private int continuation(int from) {
			boolean newline = false;
			int i = from;
			while (i < this.length) {
				char c = this.sql.charAt(i);
				if (c == '\n' || c == '\r') {
					newline = true;
					i++;
				}
				else if (c == ' ' || c == '\t' || c == '\f' || c == '\u000b') {
					i++;
				}
				else if (c == '-' && at(i + 1) == '-') {
					while (i < this.length && this.sql.charAt(i) != '\n' && this.sql.charAt(i) != '\r') {
						i++;
					}
				}
				else {
					return (c == '\'' && newline) ? i : -1;
				}
			}
			return -1;
		}

		private TokenType dollar() {
			char n = at(this.pos + 1);
			if (isDigit(n)) {
				this.pos++;
				while (this.pos < this.length && isDigit(this.sql.charAt(this.pos))) {
					this.pos++;
				}
				return TokenType.POSITIONAL_PARAMETER;
			}
			if (SqlLexer.this.syntax.dollarQuotes()) {
				int tagEnd = this.pos + 1;
				if (isIdentifierStart(at(tagEnd))) {
					tagEnd++;
					while (tagEnd < this.length && isIdentifierPart(this.sql.charAt(tagEnd))
							&& this.sql.charAt(tagEnd) != '$') {
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
			char c = this.sql.charAt(this.pos);
			char radix = Character.toLowerCase(at(this.pos + 1));
			if (c == '0' && (radix == 'x' || radix == 'o' || radix == 'b') && isHexDigit(at(this.pos + 2))) {
				// 0x1F, 0o17, 0b101 (and digit separators in them)
				this.pos += 2;
				while (this.pos < this.length && (isHexDigit(this.sql.charAt(this.pos))
						|| this.sql.charAt(this.pos) == '_' && isHexDigit(at(this.pos + 1)))) {
					this.pos++;
				}
				return TokenType.NUMBER;
			}
			// letters after a number are not part of it: PostgreSQL reads "1or" as 1 followed by OR
			boolean seenDot = false;
			boolean seenExponent = false;
			while (this.pos < this.length) {
				c = this.sql.charAt(this.pos);
				if (isDigit(c) || c == '_' && isDigit(at(this.pos + 1))) {
					this.pos++;
				}
				else if (c == '.' && !seenDot && !seenExponent && at(this.pos + 1) != '.') {
					seenDot = true;
					this.pos++;
				}
				else if ((c == 'e' || c == 'E') && !seenExponent && (isDigit(at(this.pos + 1))
						|| (at(this.pos + 1) == '+' || at(this.pos + 1) == '-') && isDigit(at(this.pos + 2)))) {
					seenExponent = true;
					this.pos += 2;
				}
				else {
					break;
				}
			}
			return TokenType.NUMBER;
		}

		private TokenType word(char c, char n) {
			// string literals with a prefix: E'..', B'..', X'..', N'..', U&'..' and U&".."
			boolean escapeString = (c == 'E' || c == 'e') && SqlLexer.this.syntax.escapeStrings();
			if (n == '\'' && ("BbXxNn".indexOf(c) >= 0 || escapeString)) {
				this.pos++;
				return quoted('\'', escapeString || SqlLexer.this.syntax.backslashEscapes(), TokenType.STRING);
			}
			if ((c == 'U' || c == 'u') && n == '&' && (at(this.pos + 2) == '\'' || at(this.pos + 2) == '"')
					&& SqlLexer.this.syntax.unicodeEscapes()) {
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
				boolean commentStart = lineCommentAt(this.pos) || (c == '/' && n == '*');
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

	private boolean isWhitespace(char c) {
		if (this.syntax.unicodeWhitespace()) {
			return c <= ' ' || Character.isSpaceChar(c);
		}
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
	}

	private boolean isIdentifierStart(char c) {
		if (this.syntax.unicodeWhitespace()) {
			return Character.isJavaIdentifierStart(c) && c != '$' || Character.isSurrogate(c);
		}
		// PostgreSQL and MySQL take every character outside ASCII as an identifier character
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= '\u0080';
	}

	private boolean isIdentifierPart(char c) {
		if (this.syntax.unicodeWhitespace()) {
			return Character.isJavaIdentifierPart(c) || Character.isSurrogate(c);
		}
		return isIdentifierStart(c) || c >= '0' && c <= '9' || c == '$';
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isHexDigit(char c) {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
	}

}
