package io.asyncsql.core.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.asyncsql.core.validation.ValidationCorpusTests.Dialect;

/**
 * Random SQL for property tests: token soups and statement skeletons made of keywords (including every kind the
 * validator looks for), names, operators, parameters and slots for string literals and comments. A generated
 * {@link Shape} can be rendered several times with different literal and comment contents and nothing else
 * different, so a property can compare the verdicts.
 */
final class RandomSql {

	private static final String[] WORDS = { "SELECT", "INSERT", "INTO", "UPDATE", "DELETE", "FROM", "WHERE", "OR",
			"AND", "NOT", "UNION", "ALL", "WITH", "AS", "CREATE", "DROP", "TABLE", "BEGIN", "COMMIT", "SET", "GLOBAL",
			"ROLE", "EXPLAIN", "ANALYZE", "COPY", "TO", "PROGRAM", "STDOUT", "LOAD", "DATA", "OUTFILE", "SONAME",
			"LANGUAGE", "C", "TRUE", "FALSE", "NULL", "IS", "IN", "LIKE", "BETWEEN", "ORDER", "BY", "LIMIT",
			"EXECUTE", "PREPARE", "TRANSACTION", "START", "AUTOCOMMIT", "VALUES", "RETURNING", "ON", "CONFLICT", "DO",
			"NOTHING", "FOR", "SKIP", "LOCKED", "CASE", "WHEN", "THEN", "END", "VACUUM", "GRANT", "ALIAS", "SCRIPT",
			"users", "id", "name", "status", "drop_date", "t", "E", "U", "N", "X" };

	private static final String[] FUNCTIONS = { "pg_sleep", "sleep", "dblink_exec", "FILE_READ", "lower", "count",
			"jsonb_set", "now", "coalesce", "pg_read_file", "BENCHMARK" };

	private static final String[] NAMES = { "\"select\"", "\"pg_sleep\"", "U&\"\\0070g_sleep\"",
			"U&\"!0070g_sleep\" UESCAPE '!'", "`sleep`", "`t`", "\"a\"\"b\"" };

	private static final String[] SYMBOLS = { "=", "<>", ">", "<", "||", "::", "+", "-", "*", "/", "@@", ".", "?",
			"?|", ":p", ":ids", "$1", "(", ")", "(", ")", ",", ";", "1", "0", "2.5", "0x1F", "1e3", "%", "&", "!" };

	// characters and pieces that break naive filters: quotes, escapes, comment and statement markers, odd spaces
	private static final String[] CONTENT = { "a", "Z", "0", " ", "'", "''", "\"", "\\", "\\'", ";", "--", "-", "/",
			"*", "#", "$", "`", "(", ")", ":x", "?", "@", "!", "\n", "\r", "\t", "\u00e9", "\u2003", "\u00a0",
			"\ud83d\ude00", "DROP TABLE users", "pg_sleep(5)", "' OR 1=1 --", "*/", "/*", "$$", "U&", "UESCAPE",
			"BEGIN", "COMMIT", "E'", "SLEEP(5)", "INTO OUTFILE" };

	private RandomSql() {
	}

	/**
	 * A random statement shape: a plausible statement with random pieces, or pure token soup.
	 * @param random the source of randomness
	 * @return the shape
	 */
	static Shape shape(SplittableRandom random) {
		List<Piece> pieces = new ArrayList<>();
		if (random.nextBoolean()) {
			skeleton(random, pieces);
		}
		else {
			soup(random, pieces, 1 + random.nextInt(30));
		}
		return new Shape(pieces);
	}

	private static void skeleton(SplittableRandom random, List<Piece> pieces) {
		switch (random.nextInt(6)) {
			case 0 -> words(pieces, "SELECT", "*", "FROM", "users", "WHERE", "name", "=");
			case 1 -> words(pieces, "UPDATE", "users", "SET", "status", "=");
			case 2 -> words(pieces, "INSERT", "INTO", "users", "(", "name", ")", "VALUES", "(");
			case 3 -> words(pieces, "WITH", "d", "AS", "(", "DELETE", "FROM", "t", "WHERE", "id", "=");
			case 4 -> words(pieces, "COPY", "users", "TO");
			default -> words(pieces, "SELECT", pick(random, FUNCTIONS), "(");
		}
		pieces.add(new Literal(random.nextInt(8)));
		soup(random, pieces, random.nextInt(12));
	}

	private static void soup(SplittableRandom random, List<Piece> pieces, int length) {
		for (int i = 0; i < length; i++) {
			int kind = random.nextInt(20);
			if (kind < 7) {
				pieces.add(new Fixed(pick(random, WORDS)));
			}
			else if (kind < 9) {
				pieces.add(new Fixed(pick(random, FUNCTIONS)));
				pieces.add(new Fixed("("));
			}
			else if (kind < 10) {
				pieces.add(new Fixed(pick(random, NAMES)));
			}
			else if (kind < 15) {
				pieces.add(new Fixed(pick(random, SYMBOLS)));
			}
			else if (kind < 18) {
				pieces.add(new Literal(random.nextInt(8)));
			}
			else if (kind < 19) {
				pieces.add(new Comment(random.nextBoolean()));
			}
			else {
				// a keyword split by a comment: DR/*...*/OP
				String word = pick(random, WORDS);
				int cut = (word.length() > 1) ? 1 + random.nextInt(word.length() - 1) : 1;
				pieces.add(new SplitWord(word.substring(0, Math.min(cut, word.length())),
						word.substring(Math.min(cut, word.length()))));
			}
		}
	}

	private static void words(List<Piece> pieces, String... words) {
		for (String word : words) {
			pieces.add(new Fixed(word));
		}
	}

	/**
	 * Random text of any characters, for properties that must hold on every input.
	 * @param random the source of randomness
	 * @return the text
	 */
	static String anyText(SplittableRandom random) {
		StringBuilder text = new StringBuilder();
		int length = random.nextInt(60);
		for (int i = 0; i < length; i++) {
			int kind = random.nextInt(4);
			if (kind == 0) {
				text.append((char) random.nextInt(0x10000)); // lone surrogates included
			}
			else if (kind == 1) {
				text.append((char) random.nextInt(0x80));
			}
			else {
				text.append(pick(random, CONTENT)).append(pick(random, SYMBOLS));
			}
		}
		return text.toString();
	}

	private static String pick(SplittableRandom random, String[] values) {
		return values[random.nextInt(values.length)];
	}

	private static String content(SplittableRandom random) {
		StringBuilder content = new StringBuilder();
		int parts = random.nextInt(6);
		for (int i = 0; i < parts; i++) {
			content.append(pick(random, CONTENT));
		}
		return content.toString();
	}

	/** A statement as pieces; only literals and comments change between renderings. */
	record Shape(List<Piece> pieces) {

		/**
		 * Writes the statement for a dialect, with literal and comment contents drawn from {@code contents}.
		 * @param dialect the dialect whose literal and comment syntax to use
		 * @param contents the source of contents
		 * @return the SQL
		 */
		String render(Dialect dialect, SplittableRandom contents) {
			StringBuilder sql = new StringBuilder();
			for (Piece piece : this.pieces) {
				if (!sql.isEmpty() && !(piece instanceof SplitWord)) {
					sql.append(' ');
				}
				piece.render(sql, dialect, contents);
			}
			return sql.toString();
		}

	}

	sealed interface Piece permits Fixed, Literal, Comment, SplitWord {

		void render(StringBuilder sql, Dialect dialect, SplittableRandom contents);

	}

	record Fixed(String text) implements Piece {

		@Override
		public void render(StringBuilder sql, Dialect dialect, SplittableRandom contents) {
			sql.append(this.text);
		}

	}

	/** A string literal in one of the dialect's forms, its content escaped so that it stays one literal. */
	record Literal(int form) implements Piece {

		@Override
		public void render(StringBuilder sql, Dialect dialect, SplittableRandom contents) {
			String content = content(contents);
			switch (dialect) {
				case POSTGRESQL -> {
					switch (this.form % 5) {
						case 0 -> sql.append("E'").append(content.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
						case 1 -> sql.append("$$").append(content.replace("$", "")).append("$$");
						case 2 -> sql.append("$q$").append(content.replace("$", "")).append("$q$");
						case 3 -> sql.append("U&'").append(content.replace("'", "''")).append('\'');
						default -> sql.append('\'').append(content.replace("'", "''")).append('\'');
					}
				}
				case MYSQL -> {
					char quote = (this.form % 2 == 0) ? '\'' : '"';
					sql.append(quote)
						.append(content.replace("\\", "\\\\").replace(String.valueOf(quote), "\\" + quote))
						.append(quote);
				}
				case H2 -> {
					if (this.form % 3 == 0) {
						sql.append("$$").append(content.replace("$", "")).append("$$");
					}
					else {
						sql.append('\'').append(content.replace("'", "''")).append('\'');
					}
				}
			}
		}

	}

	/** A block or line comment of the dialect, its content kept from closing or nesting it. */
	record Comment(boolean block) implements Piece {

		@Override
		public void render(StringBuilder sql, Dialect dialect, SplittableRandom contents) {
			if (this.block) {
				// a space first, so that the content never turns it into a MySQL executable comment
				sql.append("/* ").append(content(contents).replace("*", "x").replace("/", "x")).append("*/");
			}
			else {
				String marker = switch (dialect) {
					case MYSQL -> "# ";
					case H2 -> "// ";
					case POSTGRESQL -> "-- ";
				};
				sql.append(marker).append(content(contents).replace('\n', ' ').replace('\r', ' ')).append('\n');
			}
		}

	}

	/** Two halves of a word with a block comment between them and nothing else. */
	record SplitWord(String left, String right) implements Piece {

		@Override
		public void render(StringBuilder sql, Dialect dialect, SplittableRandom contents) {
			sql.append(' ')
				.append(this.left)
				.append("/* ")
				.append(content(contents).replace("*", "x").replace("/", "x"))
				.append("*/")
				.append(this.right);
		}

	}

}
