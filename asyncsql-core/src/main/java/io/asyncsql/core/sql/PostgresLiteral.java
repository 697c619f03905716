package io.asyncsql.core.sql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The text a PostgreSQL string literal or quoted identifier stands for, read as the server reads it (with
 * {@code standard_conforming_strings} on): {@code '...'} with {@code ''}, {@code E'...'} with its backslash escapes,
 * {@code U&'...'} and {@code U&"..."} with their Unicode escapes and an optional {@code UESCAPE} clause,
 * {@code B'...'} and {@code X'...'} as the bit string they write, {@code N'...'}, dollar quotes, and every quoted run
 * a literal continues in. The validator reads setting names and escape characters with it; a differential test
 * holds it to the server's own answers.
 *
 * @param value what the token stands for, or {@code null} when the server refuses it (an invalid escape, a byte
 * sequence that is not UTF-8, a NUL, an empty quoted identifier)
 * @param lastToken the index of the literal's last token: the escape character's literal after {@code UESCAPE}, or
 * the literal itself
 */
public record PostgresLiteral(@Nullable String value, int lastToken) {

	/**
	 * Reads the literal or quoted identifier at an index of a statement's significant tokens.
	 * @param significant the significant tokens (no comments or white space)
	 * @param index the token to read
	 * @return what it stands for, or {@code null} when the token is neither a string literal nor a quoted
	 * identifier
	 */
	public static @Nullable PostgresLiteral read(List<SqlToken> significant, int index) {
		if (index < 0 || index >= significant.size()) {
			return null;
		}
		SqlToken token = significant.get(index);
		String text = token.text();
		if (token.type() == TokenType.QUOTED_IDENTIFIER) {
			if (isUnicode(text)) {
				return unicode(text.substring(2), '"', significant, index);
			}
			String name = (text.startsWith("\"")) ? String.join("", runs(text, '"', false)) : null;
			return new PostgresLiteral((name != null && !name.isEmpty()) ? name : null, index);
		}
		if (token.type() != TokenType.STRING || text.isEmpty()) {
			return null;
		}
		char first = text.charAt(0);
		if (first == '$') {
			String tag = text.substring(0, text.indexOf('$', 1) + 1);
			boolean closed = text.length() >= 2 * tag.length() && text.endsWith(tag);
			return new PostgresLiteral(closed ? text.substring(tag.length(), text.length() - tag.length()) : null,
					index);
		}
		if (isUnicode(text)) {
			return unicode(text.substring(2), '\'', significant, index);
		}
		String body = (first == '\'') ? text : text.substring(1);
		return switch (Character.toUpperCase(first)) {
			case 'E' -> new PostgresLiteral(escapes(runs(body, '\'', true)), index);
			case 'B' -> new PostgresLiteral(bits(String.join("", runs(body, '\'', false)), 1), index);
			case 'X' -> new PostgresLiteral(bits(String.join("", runs(body, '\'', false)), 4), index);
			default -> new PostgresLiteral(String.join("", runs(body, '\'', false)), index);
		};
	}

	private static boolean isUnicode(String text) {
		return text.length() > 2 && (text.charAt(0) == 'U' || text.charAt(0) == 'u') && text.charAt(1) == '&';
	}

	/*
	 * The quoted runs of a literal: 'a' -- note\n 'b' has two, "a" and "b". A doubled quote stands for itself (it is
	 * undone here); with escapes, a backslash and the character after it are kept as written, for escapes() to read.
	 */
	private static List<String> runs(String text, char quote, boolean backslashEscapes) {
		List<String> runs = new java.util.ArrayList<>(1);
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
				while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
					i++;
				}
				continue;
			}
			if (c != quote) {
				i++;
				continue;
			}
			StringBuilder run = new StringBuilder();
			i++;
			while (i < text.length()) {
				char d = text.charAt(i);
				if (backslashEscapes && d == '\\' && i + 1 < text.length()) {
					run.append(d).append(text.charAt(i + 1));
					i += 2;
				}
				else if (d == quote && i + 1 < text.length() && text.charAt(i + 1) == quote) {
					run.append(quote);
					i += 2;
				}
				else if (d == quote) {
					i++;
					break;
				}
				else {
					run.append(d);
					i++;
				}
			}
			runs.add(run.toString());
		}
		return runs;
	}

	// E'...': each run's escapes on their own (an octal escape never reaches into the next run), bytes joined
	private static @Nullable String escapes(List<String> runs) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (String run : runs) {
			int i = 0;
			while (i < run.length()) {
				char c = run.charAt(i);
				if (c != '\\' || i + 1 >= run.length()) {
					int end = Character.isHighSurrogate(c) && i + 1 < run.length() ? i + 2 : i + 1;
					bytes.writeBytes(run.substring(i, end).getBytes(StandardCharsets.UTF_8));
					i = end;
					continue;
				}
				char n = run.charAt(i + 1);
				if (n >= '0' && n <= '7') {
					int end = digits(run, i + 1, 3, 8);
					bytes.write(Integer.parseInt(run.substring(i + 1, end), 8) & 0xff);
					i = end;
				}
				else if (n == 'x' && digits(run, i + 2, 2, 16) > i + 2) {
					int end = digits(run, i + 2, 2, 16);
					bytes.write(Integer.parseInt(run.substring(i + 2, end), 16));
					i = end;
				}
				else if (n == 'u' || n == 'U') {
					int length = (n == 'u') ? 4 : 8;
					int end = digits(run, i + 2, length, 16);
					if (end - (i + 2) < length) {
						return null;
					}
					long codePoint = Long.parseLong(run.substring(i + 2, end), 16);
					i = end;
					if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
						// a high surrogate must be followed at once by the escape of a low one
						if (i + 6 > run.length() || run.charAt(i) != '\\' || run.charAt(i + 1) != 'u'
								|| digits(run, i + 2, 4, 16) != i + 6) {
							return null;
						}
						long low = Long.parseLong(run.substring(i + 2, i + 6), 16);
						if (low < 0xDC00 || low > 0xDFFF) {
							return null;
						}
						codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
						i += 6;
					}
					if (!writeCodePoint(bytes, codePoint)) {
						return null;
					}
				}
				else {
					String escaped = switch (n) {
						case 'b' -> "\b";
						case 'f' -> "\f";
						case 'n' -> "\n";
						case 'r' -> "\r";
						case 't' -> "\t";
						default -> null;
					};
					int end = Character.isHighSurrogate(n) && i + 2 < run.length() ? i + 3 : i + 2;
					bytes.writeBytes(((escaped != null) ? escaped : run.substring(i + 1, end))
						.getBytes(StandardCharsets.UTF_8));
					i = end;
				}
			}
		}
		return utf8(bytes.toByteArray());
	}

	// U&'...' and U&"...": runs joined first, then the escapes read with the UESCAPE character (default \)
	private static @Nullable PostgresLiteral unicode(String body, char quote, List<SqlToken> significant, int index) {
		String joined = String.join("", runs(body, quote, false));
		int last = index;
		char escape = '\\';
		SqlToken next = (index + 1 < significant.size()) ? significant.get(index + 1) : null;
		if (next != null && next.isKeyword("UESCAPE")) {
			PostgresLiteral escapeLiteral = (index + 2 < significant.size()
					&& significant.get(index + 2).type() == TokenType.STRING) ? read(significant, index + 2) : null;
			if (escapeLiteral == null) {
				return new PostgresLiteral(null, index + 1);
			}
			last = escapeLiteral.lastToken();
			String chosen = escapeLiteral.value();
			if (chosen == null || chosen.length() != 1 || "0123456789abcdefABCDEF+'\" \t\n\r\f".indexOf(chosen) >= 0) {
				return new PostgresLiteral(null, last);
			}
			escape = chosen.charAt(0);
		}
		if (quote == '"' && joined.isEmpty()) {
			return new PostgresLiteral(null, last);
		}
		StringBuilder out = new StringBuilder(joined.length());
		int i = 0;
		while (i < joined.length()) {
			char c = joined.charAt(i);
			if (c != escape) {
				out.append(c);
				i++;
				continue;
			}
			if (i + 1 < joined.length() && joined.charAt(i + 1) == escape) {
				out.append(escape);
				i += 2;
				continue;
			}
			long codePoint = unicodeEscape(joined, i + 1);
			if (codePoint < 0) {
				return new PostgresLiteral(null, last);
			}
			i += (joined.charAt(i + 1) == '+') ? 8 : 5;
			if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
				long low = (i < joined.length() && joined.charAt(i) == escape) ? unicodeEscape(joined, i + 1) : -1;
				if (low < 0xDC00 || low > 0xDFFF) {
					return new PostgresLiteral(null, last);
				}
				i += (joined.charAt(i + 1) == '+') ? 8 : 5;
				codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
			}
			if (codePoint == 0 || codePoint > 0x10FFFF || codePoint >= 0xDC00 && codePoint <= 0xDFFF) {
				return new PostgresLiteral(null, last);
			}
			out.appendCodePoint((int) codePoint);
		}
		return new PostgresLiteral(out.toString(), last);
	}

	// XXXX or +XXXXXX at from, or -1
	private static long unicodeEscape(String text, int from) {
		boolean plus = from < text.length() && text.charAt(from) == '+';
		int start = plus ? from + 1 : from;
		int length = plus ? 6 : 4;
		if (digits(text, start, length, 16) != start + length) {
			return -1;
		}
		return Long.parseLong(text.substring(start, start + length), 16);
	}

	private static int digits(String text, int from, int max, int radix) {
		int i = from;
		while (i < text.length() && i - from < max && Character.digit(text.charAt(i), radix) >= 0
				&& text.charAt(i) < 0x80) {
			i++;
		}
		return i;
	}

	private static boolean writeCodePoint(ByteArrayOutputStream bytes, long codePoint) {
		if (codePoint == 0 || codePoint > 0x10FFFF || codePoint >= 0xD800 && codePoint <= 0xDFFF) {
			return false;
		}
		bytes.writeBytes(new String(Character.toChars((int) codePoint)).getBytes(StandardCharsets.UTF_8));
		return true;
	}

	private static @Nullable String utf8(byte[] bytes) {
		for (byte b : bytes) {
			if (b == 0) {
				return null;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	// B'0101' (1 bit a digit) and X'1F' (4 bits a digit) as the bit string they stand for
	private static @Nullable String bits(String digits, int bitsPerDigit) {
		StringBuilder out = new StringBuilder(digits.length() * bitsPerDigit);
		for (int i = 0; i < digits.length(); i++) {
			int digit = Character.digit(digits.charAt(i), (bitsPerDigit == 1) ? 2 : 16);
			if (digit < 0 || digits.charAt(i) >= 0x80) {
				return null;
			}
			String binary = Integer.toBinaryString(digit);
			out.append("0".repeat(bitsPerDigit - binary.length())).append(binary);
		}
		return out.toString().toLowerCase(Locale.ROOT);
	}

}
