package io.asyncsql.core.sql;

/**
 * The lexical rules of a SQL dialect that matter for finding parameters, literals and comments.
 * <p>
 * Validation trusts the lexer to see literals and comments exactly where the server sees them: a place where the
 * lexer sees a literal but the server sees code would hide that code from every check. Each rule below is therefore
 * a fact about the server's own tokenizer, including the unusual ones (where a line comment ends, which characters
 * are white space).
 *
 * @param dollarQuotes {@code $$...$$} and {@code $tag$...$tag$} are string bodies (PostgreSQL, H2)
 * @param nestedBlockComments block comments nest (PostgreSQL, H2)
 * @param backslashEscapes a backslash escapes the next character in every string literal (MySQL)
 * @param backtickIdentifiers {@code `...`} quotes an identifier (MySQL, H2)
 * @param hashComments {@code #} starts a line comment (MySQL)
 * @param doubleQuotedStrings {@code "..."} is a string literal, not an identifier (MySQL)
 * @param questionMarkPlaceholders {@code ?} is a bind marker rather than an operator (MySQL, H2)
 * @param executableComments {@code /*! ... *}{@code /} and {@code /*M! ... *}{@code /} comments are executed by
 * the server (MySQL, MariaDB)
 * @param escapeStrings {@code E'...'} is a string literal with backslash escapes (PostgreSQL)
 * @param unicodeEscapes {@code U&'...'} and {@code U&"..."} are a string literal and a quoted identifier
 * (PostgreSQL, H2)
 * @param dashCommentNeedsSpace {@code --} starts a comment only when white space, a control character or the end
 * of the text follows, so {@code 1--1} is arithmetic (MySQL)
 * @param doubleSlashComments {@code //} starts a line comment (H2)
 * @param carriageReturnEndsLineComment a line comment ends at a carriage return as well as at a line feed
 * (PostgreSQL, H2; MySQL reads on to the line feed)
 * @param unicodeWhitespace every control character and every Unicode space separator is white space and identifiers
 * follow Java's rules (H2); otherwise only ASCII white space separates tokens and every non-ASCII character may be
 * part of an identifier (PostgreSQL, MySQL)
 * @param stringContinuation a string literal continues in the next quoted run when only white space holding a
 * newline (and {@code --} comments) separates them, as in {@code 'a'}&#x23CE;{@code 'b'}, which is {@code 'ab'}; the
 * run is read with the escapes of the literal it continues, so after {@code E'a'} a backslash escapes there too
 * (PostgreSQL)
 */
public record SqlSyntax(boolean dollarQuotes, boolean nestedBlockComments, boolean backslashEscapes,
		boolean backtickIdentifiers, boolean hashComments, boolean doubleQuotedStrings,
		boolean questionMarkPlaceholders, boolean executableComments, boolean escapeStrings, boolean unicodeEscapes,
		boolean dashCommentNeedsSpace, boolean doubleSlashComments, boolean carriageReturnEndsLineComment,
		boolean unicodeWhitespace, boolean stringContinuation) {

	/** PostgreSQL: dollar quotes, nested comments, {@code E'...'} and {@code U&'...'}, {@code ?} is a JSON operator. */
	public static final SqlSyntax POSTGRESQL = new SqlSyntax(true, true, false, false, false, false, false, false,
			true, true, false, false, true, false, true);

	/** MySQL and MariaDB with their default SQL mode. */
	public static final SqlSyntax MYSQL = new SqlSyntax(false, false, true, true, true, true, true, true, false,
			false, true, false, false, false, false);

	/** H2. */
	public static final SqlSyntax H2 = new SqlSyntax(true, true, false, true, false, false, true, false, false, true,
			false, true, true, true, false);

	/**
	 * Creates rules from the first eight settings, with {@code E'...'} and {@code U&'...'} literals recognised and
	 * the remaining settings off.
	 * @param dollarQuotes see {@link #dollarQuotes()}
	 * @param nestedBlockComments see {@link #nestedBlockComments()}
	 * @param backslashEscapes see {@link #backslashEscapes()}
	 * @param backtickIdentifiers see {@link #backtickIdentifiers()}
	 * @param hashComments see {@link #hashComments()}
	 * @param doubleQuotedStrings see {@link #doubleQuotedStrings()}
	 * @param questionMarkPlaceholders see {@link #questionMarkPlaceholders()}
	 * @param executableComments see {@link #executableComments()}
	 */
	public SqlSyntax(boolean dollarQuotes, boolean nestedBlockComments, boolean backslashEscapes,
			boolean backtickIdentifiers, boolean hashComments, boolean doubleQuotedStrings,
			boolean questionMarkPlaceholders, boolean executableComments) {
		this(dollarQuotes, nestedBlockComments, backslashEscapes, backtickIdentifiers, hashComments,
				doubleQuotedStrings, questionMarkPlaceholders, executableComments, true, true, false, false, false,
				false, false);
	}

}
