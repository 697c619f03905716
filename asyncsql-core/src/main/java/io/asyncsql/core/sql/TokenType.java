package io.asyncsql.core.sql;

/**
 * Kinds of lexical tokens.
 */
public enum TokenType {

	/** A keyword or unquoted identifier. */
	WORD,

	/** A quoted identifier ({@code "..."}, {@code U&"..."}, {@code `...`}). */
	QUOTED_IDENTIFIER,

	/** A string literal of any form ({@code '...'}, {@code E'...'}, {@code $$...$$}, ...). */
	STRING,

	/** A numeric literal. */
	NUMBER,

	/** A named parameter {@code :name}. */
	NAMED_PARAMETER,

	/** A positional marker: {@code $n}, or {@code ?} where the dialect uses it. */
	POSITIONAL_PARAMETER,

	/** The cast operator {@code ::}. */
	CAST,

	/** Any other operator, including JSON's {@code ?}, {@code ?|} and {@code ?&} on PostgreSQL. */
	OPERATOR,

	/** {@code (} */
	LEFT_PAREN,

	/** {@code )} */
	RIGHT_PAREN,

	/** {@code ,} */
	COMMA,

	/** {@code ;} */
	SEMICOLON,

	/** {@code .}, {@code [}, {@code ]} and other punctuation. */
	PUNCTUATION,

	/** A line or block comment. */
	COMMENT,

	/** Spaces, tabs and line breaks. */
	WHITESPACE;

	/**
	 * Whether the token carries meaning for the statement (not a comment or whitespace).
	 * @return {@code true} for every type but {@link #COMMENT} and {@link #WHITESPACE}
	 */
	public boolean isSignificant() {
		return this != COMMENT && this != WHITESPACE;
	}

}
