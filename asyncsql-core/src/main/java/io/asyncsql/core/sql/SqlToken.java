package io.asyncsql.core.sql;

/**
 * One token of a SQL text: its type and where it is.
 *
 * @param type the kind of token
 * @param start offset of the first character
 * @param end offset after the last character
 * @param text the token's characters
 */
public record SqlToken(TokenType type, int start, int end, String text) {

	/**
	 * Whether this is a word equal to {@code keyword}, ignoring case.
	 * @param keyword an upper-case keyword
	 * @return {@code true} when it matches
	 */
	public boolean isKeyword(String keyword) {
		return this.type == TokenType.WORD && this.text.equalsIgnoreCase(keyword);
	}

}
