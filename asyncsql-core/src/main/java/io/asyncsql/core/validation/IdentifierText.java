package io.asyncsql.core.validation;

import java.util.List;

import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.TokenType;

/**
 * The text a quoted token stands for, so that names hidden in quotes or Unicode escapes
 * ({@code U&"\0070g_sleep"} is {@code pg_sleep}) are seen for what they are.
 */
final class IdentifierText {

	private IdentifierText() {
	}

	/**
	 * The identifier a quoted-identifier token names.
	 * @param token a {@link TokenType#QUOTED_IDENTIFIER}
	 * @param words the significant tokens, to find a {@code UESCAPE} clause
	 * @param index the token's index in {@code words}
	 * @return the identifier
	 */
	static String unquote(SqlToken token, List<SqlToken> words, int index) {
		String text = token.text();
		boolean unicode = text.length() > 2 && (text.charAt(0) == 'U' || text.charAt(0) == 'u') && text.charAt(1) == '&';
		String body = unquoteBody(unicode ? text.substring(2) : text);
		if (!unicode) {
			return body;
		}
		char escape = '\\';
		if (index + 2 < words.size() && words.get(index + 1).isKeyword("UESCAPE")
				&& words.get(index + 2).type() == TokenType.STRING) {
			String escapeText = stringContent(words.get(index + 2));
			if (escapeText.length() == 1) {
				escape = escapeText.charAt(0);
			}
		}
		return decodeUnicodeEscapes(body, escape);
	}

	/**
	 * The characters of a plain string literal token, with doubled quotes undone.
	 * @param token a {@link TokenType#STRING}
	 * @return its content
	 */
	static String stringContent(SqlToken token) {
		String text = token.text();
		int quote = text.indexOf('\'');
		if (quote < 0) {
			quote = text.indexOf('"');
		}
		if (quote < 0) {
			return text;
		}
		return unquoteBody(text.substring(quote));
	}

	private static String unquoteBody(String quoted) {
		if (quoted.length() < 2) {
			return quoted;
		}
		char q = quoted.charAt(0);
		String inner = quoted.substring(1, quoted.length() - 1);
		return inner.replace(String.valueOf(q) + q, String.valueOf(q));
	}

	private static String decodeUnicodeEscapes(String body, char escape) {
		StringBuilder decoded = new StringBuilder(body.length());
		for (int i = 0; i < body.length(); i++) {
			char c = body.charAt(i);
			if (c != escape || i + 1 >= body.length()) {
				decoded.append(c);
				continue;
			}
			char n = body.charAt(i + 1);
			if (n == escape) {
				decoded.append(escape);
				i++;
			}
			else if (n == '+' && i + 8 <= body.length()) {
				decoded.appendCodePoint(hex(body.substring(i + 2, i + 8), c));
				i += 7;
			}
			else if (i + 5 <= body.length()) {
				decoded.appendCodePoint(hex(body.substring(i + 1, i + 5), c));
				i += 4;
			}
			else {
				decoded.append(c);
			}
		}
		return decoded.toString();
	}

	private static int hex(String digits, char fallback) {
		try {
			return Integer.parseInt(digits, 16);
		}
		catch (NumberFormatException ex) {
			return fallback;
		}
	}

}
