package io.asyncsql.core.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.DatabaseType;

/**
 * Random input for the public API: SQL text (statements on the fuzz table with {@code :named} parameters, mangled
 * with quotes, comments, dollar quotes, positional markers and odd characters, or plain garbage), parameter values
 * of every shape the API might be handed, and extreme fetch sizes and timeouts. Every value that is text carries
 * {@link #MARKER}, so a failure message that quotes a bound value can be recognised; the SQL text never does.
 */
final class FuzzInput {

	/** Text in every string value, never in SQL text or parameter names. */
	static final String MARKER = "Vx7MarkQ";

	private static final String[] TEMPLATES = {
			"SELECT id, name, amount FROM fuzz_items WHERE name = :name",
			"SELECT id, name FROM fuzz_items WHERE id = :id OR amount > :amount ORDER BY id",
			"SELECT :v AS v",
			"SELECT :a AS a, :b AS b, :a AS again",
			"SELECT id FROM fuzz_items WHERE id IN (:ids)",
			"SELECT id FROM fuzz_items WHERE id NOT IN (:ids) AND name <> :name",
			"INSERT INTO fuzz_items (id, name, amount, flag, note) VALUES (:id, :name, :amount, :flag, :note)",
			"UPDATE fuzz_items SET name = :name, note = :note WHERE id = :id",
			"UPDATE fuzz_items SET amount = :amount WHERE flag = :flag",
			"DELETE FROM fuzz_items WHERE id = :id",
			"SELECT count(*) AS n FROM fuzz_items WHERE note LIKE :pattern",
			"SELECT id, note FROM fuzz_items ORDER BY id",
			"SELECT ':id' AS lit, name /* :id */ FROM fuzz_items WHERE id = :id -- :id\n",
			"SELECT 1 AS one",
			"WITH t AS (SELECT :v AS v) SELECT v FROM t",
			"SELECT id FROM fuzz_items WHERE name = :name UNION ALL SELECT id FROM fuzz_items WHERE id = :id",
			"INSERT INTO fuzz_items (id, name) SELECT id + 1000, name FROM fuzz_items WHERE id = :id" };

	private static final String[] POSTGRES_TEMPLATES = {
			"SELECT id FROM fuzz_items WHERE id = ANY(:ids)",
			"SELECT :v::text AS v",
			"SELECT :doc::jsonb AS doc",
			"SELECT $1 AS v",
			"SELECT $1::int + $2::int AS v",
			"SELECT $$ :x $$ AS lit, :v AS v",
			"SELECT $tag$ ' :x $tag$ AS lit, E'\\' :y' AS e, :v AS v",
			"SELECT '{\"a\":1}'::jsonb ? :key AS has" };

	private static final String[] MARIADB_TEMPLATES = {
			"SELECT ? AS v",
			"SELECT ? AS a, ? AS b",
			"SELECT \"dq :x\" AS lit, :v AS v",
			"SELECT `id` FROM fuzz_items WHERE `name` = :name # :x\n" };

	private static final String[] H2_TEMPLATES = {
			"SELECT $1 AS v",
			"SELECT $$ :x $$ AS lit, :v AS v",
			"SELECT id FROM fuzz_items WHERE id = ANY(:ids)",
			"SELECT :v AS v // :x\n" };

	// pieces that break naive lexers: unbalanced quotes and comments, markers, casts, statement ends, odd characters
	private static final String[] GARBAGE = { "'", "''", "\"", "`", "\\", "--", "/*", "*/", "/* :x */", "$$", "$q$",
			"$1", "$2", "$99999", "$2147483648", "$99999999999999999999", "?", "??", "?|", "::", ":", ":v", ":v:", "::int", ":1", ":_", ":\u00e9t\u00e9", ";",
			"; SELECT 1", "(", ")", ",", "E'", "U&'", "#", "//", "\u0000", "\ud800", "\udc00", "\ud83d\ude00",
			"\u202e", "\u00a0", "\u2003", "\n", "\r\n", "\t", "NULL", "OR 1=1", "' OR 'a'='a", "UNION SELECT",
			"pg_sleep(0)", "SLEEP(0)", "BEGIN", "COMMIT", "DROP TABLE other", "\\'", "N'x'", "x'00'", "0x", "1e999",
			"-9223372036854775809", "ARRAY[1,2]", "[1]", "{}", "@@", "&&", "||" };

	// in statements the node runs without validation: nothing that would destroy the table or sleep
	private static final String[] SAFE_GARBAGE = Arrays.stream(GARBAGE)
		.filter(piece -> !piece.contains("DROP") && !piece.contains("sleep") && !piece.contains("SLEEP")
				&& !piece.contains("BEGIN") && !piece.contains("COMMIT"))
		.toArray(String[]::new);

	private static final String[] NAMES = { "id", "name", "amount", "flag", "note", "v", "a", "b", "ids", "doc",
			"pattern", "key", "x", "unused", "", " ", "n\u0000ul", "\u00e9", "1", "id ", "ID" };

	private final SplittableRandom random;

	private final DatabaseType type;

	private final boolean heavy;

	/**
	 * @param random the source of randomness
	 * @param type the database, for its own statement forms
	 * @param heavy whether multi-megabyte strings and 100,000-element lists may be drawn
	 */
	FuzzInput(SplittableRandom random, DatabaseType type, boolean heavy) {
		this.random = random;
		this.type = type;
		this.heavy = heavy;
	}

	SplittableRandom random() {
		return this.random;
	}

	boolean chance(int percent) {
		return this.random.nextInt(100) < percent;
	}

	<T> T pick(T[] values) {
		return values[this.random.nextInt(values.length)];
	}

	// ---------------------------------------------------------------- SQL

	/**
	 * A statement: a template as it is, a mangled template, or garbage.
	 * @param safe whether the statement must be harmless without validation
	 * @return the SQL text
	 */
	String sql(boolean safe) {
		int kind = this.random.nextInt(10);
		if (kind < 4) {
			return template();
		}
		if (kind < 8) {
			return mangle(template(), safe);
		}
		if (kind < 9) {
			return garbage(safe);
		}
		return mangle(template() + (chance(50) ? " " : "; ") + template(), safe);
	}

	private String template() {
		String[] own = switch (this.type) {
			case POSTGRESQL -> POSTGRES_TEMPLATES;
			case H2 -> H2_TEMPLATES;
			default -> MARIADB_TEMPLATES;
		};
		return (this.random.nextInt(4) == 0) ? pick(own) : pick(TEMPLATES);
	}

	private String mangle(String sql, boolean safe) {
		StringBuilder text = new StringBuilder(sql);
		int edits = 1 + this.random.nextInt(4);
		for (int i = 0; i < edits; i++) {
			int at = this.random.nextInt(text.length() + 1);
			switch (this.random.nextInt(4)) {
				case 0 -> text.insert(at, pick(safe ? SAFE_GARBAGE : GARBAGE));
				case 1 -> text.insert(at, " :" + pick(NAMES) + " ");
				case 2 -> {
					if (text.length() > 0) {
						int end = Math.min(text.length(), at + 1 + this.random.nextInt(6));
						text.delete(Math.min(at, text.length() - 1), end);
					}
				}
				default -> text.insert(at, (char) this.random.nextInt(0x10000));
			}
		}
		return text.toString();
	}

	private String garbage(boolean safe) {
		StringBuilder text = new StringBuilder();
		int length = this.random.nextInt(40);
		for (int i = 0; i < length; i++) {
			text.append(chance(30) ? String.valueOf((char) this.random.nextInt(0x10000)) : pick(safe ? SAFE_GARBAGE : GARBAGE));
		}
		return text.toString();
	}

	// ---------------------------------------------------------------- parameters

	/**
	 * Parameters for a statement: mostly the names it uses, sometimes one missing or one extra, sometimes a
	 * {@code null} key.
	 * @param names the names the statement most likely uses
	 * @return the map
	 */
	Map<String, Object> params(List<String> names) {
		Map<String, Object> params = new HashMap<>();
		if (chance(40)) {
			// values any database binds, so that calls reach it
			for (String name : names) {
				params.put(name, plainValue());
			}
			return params;
		}
		for (String name : names) {
			if (!chance(8)) {
				params.put(name, value(0));
			}
		}
		if (chance(8)) {
			params.put(pick(NAMES), value(0));
		}
		if (chance(3)) {
			params.put(null, value(0));
		}
		return params;
	}

	/**
	 * Positional values.
	 * @return the values, some {@code null}
	 */
	List<Object> positional() {
		int size = this.random.nextInt(4);
		List<Object> values = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			values.add(value(0));
		}
		return values;
	}

	/** @return a value of a plain type: text, a number, a boolean or {@code null} */
	Object plainValue() {
		return switch (this.random.nextInt(6)) {
			case 0 -> null;
			case 1 -> text();
			case 2 -> (long) this.random.nextInt(100);
			case 3 -> new BigDecimal("12.5");
			case 4 -> this.random.nextBoolean();
			default -> MARKER;
		};
	}

	/**
	 * A value of any kind the API may be handed.
	 * @param depth the nesting so far
	 * @return the value, possibly {@code null}
	 */
	Object value(int depth) {
		int kind = this.random.nextInt(depth > 2 ? 30 : 40);
		return switch (kind) {
			case 0, 1 -> null;
			case 2, 3, 4, 5 -> text();
			case 6 -> this.random.nextLong();
			case 7 -> pick(new Object[] { 0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE });
			case 8 -> pick(new Object[] { Long.MAX_VALUE, Long.MIN_VALUE, 0L });
			case 9 -> pick(new Object[] { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
					Double.MIN_VALUE, Double.MAX_VALUE, 1.5 });
			case 10 -> pick(new Object[] { Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
					2.5f });
			case 11 -> bigDecimal();
			case 12 -> pick(new Object[] { BigInteger.TEN.pow(200), BigInteger.ONE.shiftLeft(64).negate(),
					BigInteger.ZERO });
			case 13 -> this.random.nextBoolean();
			case 14 -> pick(new Object[] { (short) -1, Short.MAX_VALUE, (byte) 0x7f, Byte.MIN_VALUE });
			case 15 -> pick(new Object[] { '\u0000', '\ud800', 'x', '\'' });
			case 16 -> UUID.randomUUID();
			case 17 -> pick(new Object[] { LocalDate.MIN, LocalDate.MAX, LocalDate.of(2024, 2, 29), LocalDateTime.MIN,
					LocalDateTime.MAX, LocalTime.MAX, Instant.MIN, Instant.MAX, Instant.EPOCH, OffsetDateTime.MIN,
					OffsetDateTime.MAX, new java.util.Date(Long.MAX_VALUE), new java.sql.Timestamp(0),
					new java.sql.Date(0), new java.sql.Time(0) });
			case 18 -> pick(new Object[] { Duration.ofSeconds(Long.MAX_VALUE), Duration.ofNanos(-1), Duration.ZERO,
					ChronoUnit.FOREVER.getDuration(), Period.ofYears(Integer.MAX_VALUE), Period.ofDays(-1) });
			case 19 -> bytes();
			case 20 -> ByteBuffer.wrap(bytes());
			case 21, 22 -> list(depth);
			case 23, 24 -> map(depth);
			case 25 -> pick(new Object[] { new Object(), Thread.currentThread(), Optional.of(MARKER), Optional.empty(),
					TimeUnit.SECONDS, new StringBuilder(MARKER), new int[] { 1, 2, 3 },
					new String[] { MARKER, null }, new Object[] { 1, MARKER, null }, new TreeSet<>(List.of(1, 2)),
					new char[] { 'a' }, new long[0], ChronoUnit.DAYS, Runtime.getRuntime(), (Runnable) () -> { },
					new Object[] { new Object[] { 1 } }, Map.entry("k", MARKER) });
			case 26 -> selfReferential();
			case 27 -> hugeText();
			case 28 -> hugeList();
			case 29 -> text();
			default -> (depth == 0) ? text() : value(depth + 1);
		};
	}

	/**
	 * Text with the marker somewhere, and odd characters: quotes, NUL, lone surrogates, right-to-left marks.
	 * @return the text
	 */
	String text() {
		StringBuilder text = new StringBuilder();
		int parts = this.random.nextInt(5);
		for (int i = 0; i < parts; i++) {
			text.append(chance(50) ? pick(GARBAGE) : String.valueOf((char) this.random.nextInt(0x10000)));
		}
		text.insert(this.random.nextInt(text.length() + 1), MARKER);
		return text.toString();
	}

	private Object hugeText() {
		if (!this.heavy) {
			return text();
		}
		int size = (1 + this.random.nextInt(5)) * 1024 * 1024;
		StringBuilder text = new StringBuilder(size + MARKER.length());
		if (chance(50)) {
			text.append(MARKER);
		}
		char fill = pick(new Character[] { 'a', '\'', '\u00e9', '\u0000', '\ud800' });
		while (text.length() < size) {
			text.append(fill);
		}
		text.append(MARKER);
		return text.toString();
	}

	private Object hugeList() {
		if (!this.heavy) {
			return list(2);
		}
		int size = 100_000;
		List<Object> values = new ArrayList<>(size);
		boolean texts = chance(30);
		for (int i = 0; i < size; i++) {
			values.add(texts ? MARKER + i : (Object) (long) i);
		}
		return values;
	}

	private BigDecimal bigDecimal() {
		return pick(new BigDecimal[] { new BigDecimal("1E+100000"), new BigDecimal("1E-100000"),
				new BigDecimal("-9.99999999999999999999999999999999999999E+300"), new BigDecimal(BigInteger.TEN.pow(1000)),
				BigDecimal.ZERO.setScale(1000), new BigDecimal("123.4500"), BigDecimal.valueOf(Long.MIN_VALUE, -5),
				new BigDecimal(BigInteger.ONE, Integer.MAX_VALUE), new BigDecimal(BigInteger.ONE, Integer.MIN_VALUE + 1) });
	}

	private byte[] bytes() {
		byte[] bytes = new byte[this.random.nextInt(64)];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private List<Object> list(int depth) {
		int size = this.random.nextInt(6);
		List<Object> values = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			values.add(value(depth + 1));
		}
		return values;
	}

	private Map<Object, Object> map(int depth) {
		Map<Object, Object> values = new LinkedHashMap<>();
		int size = this.random.nextInt(5);
		for (int i = 0; i < size; i++) {
			Object key = switch (this.random.nextInt(6)) {
				case 0 -> null;
				case 1 -> this.random.nextInt(10);
				case 2 -> text();
				default -> pick(NAMES);
			};
			values.put(key, value(depth + 1));
		}
		return values;
	}

	private Object selfReferential() {
		if (chance(50)) {
			List<Object> list = new ArrayList<>();
			list.add(1);
			list.add(list);
			return list;
		}
		Map<String, Object> map = new HashMap<>();
		map.put("k", MARKER);
		map.put("self", map);
		return map;
	}

	// ---------------------------------------------------------------- options

	/** @return a fetch size, often out of range */
	int fetchSize() {
		return pick(new Integer[] { Integer.MIN_VALUE, -1, 0, 1, 2, 7, 256, 100_000, Integer.MAX_VALUE });
	}

	/** @return a timeout, often out of range */
	Duration timeout() {
		return pick(new Duration[] { Duration.ofSeconds(-1), Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1),
				Duration.ofMillis(50), Duration.ofSeconds(3), Duration.ofDays(30), Duration.ofDays(365 * 300),
				Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), ChronoUnit.FOREVER.getDuration() });
	}

}
