package io.asyncsql.core.sql;

/**
 * The lexical rules of a SQL dialect that matter for finding parameters, literals and comments.
 *
 * @param dollarQuotes {@code $$...$$} and {@code $tag$...$tag$} are string bodies (PostgreSQL, H2)
 * @param nestedBlockComments block comments nest (PostgreSQL)
 * @param backslashEscapes a backslash escapes the next character in every string literal (MySQL)
 * @param backtickIdentifiers {@code `...`} quotes an identifier (MySQL)
 * @param hashComments {@code #} starts a line comment (MySQL)
 * @param doubleQuotedStrings {@code "..."} is a string literal, not an identifier (MySQL)
 * @param questionMarkPlaceholders {@code ?} is a bind marker rather than an operator (MySQL, H2)
 * @param executableComments {@code /*! ... *}{@code /} comments are executed by the server (MySQL)
 */
public record SqlSyntax(boolean dollarQuotes, boolean nestedBlockComments, boolean backslashEscapes,
		boolean backtickIdentifiers, boolean hashComments, boolean doubleQuotedStrings,
		boolean questionMarkPlaceholders, boolean executableComments) {

	/** PostgreSQL: dollar quotes, nested comments, {@code ?} is a JSON operator. */
	public static final SqlSyntax POSTGRESQL = new SqlSyntax(true, true, false, false, false, false, false, false);

	/** MySQL and MariaDB with their default SQL mode. */
	public static final SqlSyntax MYSQL = new SqlSyntax(false, false, true, true, true, true, true, true);

	/** H2. */
	public static final SqlSyntax H2 = new SqlSyntax(true, false, false, false, false, false, true, false);

}
