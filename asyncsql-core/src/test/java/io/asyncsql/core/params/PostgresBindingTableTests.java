package io.asyncsql.core.params;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.InvalidStatementException;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Every row of the PostgreSQL binding table, against the real server: each value is written into a column of its
 * natural type and read back through the node, and where it matters the type the server saw is asked with
 * {@code pg_typeof}.
 */
class PostgresBindingTableTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final long BEYOND_INT = (1L << 40) + 7;

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	enum Mood {

		HAPPY, SAD

	}

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("binding");
		schema.sql("CREATE TYPE mood AS ENUM ('HAPPY', 'SAD')",
				"CREATE TABLE vals (id bigserial PRIMARY KEY, v_integer integer, v_bigint bigint, v_smallint smallint, "
						+ "v_numeric numeric, v_double double precision, v_real real, v_boolean boolean, v_text text, "
						+ "v_varchar varchar(40), v_uuid uuid, v_bytea bytea, v_date date, v_time time, v_timetz timetz, "
						+ "v_timestamp timestamp, v_timestamptz timestamptz, v_interval interval, v_mood mood, "
						+ "v_tags text[], v_ids bigint[], v_integers integer[], v_uuids uuid[], v_dates date[], "
						+ "v_jsonb jsonb, v_json json, created_at timestamptz DEFAULT now())",
				"CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL)",
				"CREATE TABLE user_tags (user_id bigint, tags text[])",
				"CREATE TABLE events (user_id bigint, event_data jsonb)");
		node = AsyncSqlNode.builder(schema.node("binding").build()).build();
	}

	@AfterAll
	static void dropSchema() {
		node.close();
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		schema.sql("TRUNCATE vals, users, user_tags, events",
				"INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'grace'), (" + BEYOND_INT + ", 'big')");
	}

	/** Inserts a value into a column with a plain {@code :v}, then reads the column back through the node. */
	private static Object roundTrip(String column, Object value) {
		Map<String, Object> params = new HashMap<>();
		params.put("v", value);
		Object id = node.execute("INSERT INTO vals (" + column + ") VALUES (:v) RETURNING id", params)
			.block(WAIT)
			.one()
			.get("id");
		return node.execute("SELECT " + column + " AS v FROM vals WHERE id = :id", Map.of("id", id)).block(WAIT).one().get("v");
	}

	/** The type PostgreSQL gave the bound parameter when nothing in the statement suggests one. */
	private static String boundAs(Object value) {
		return (String) node.execute("SELECT pg_typeof(:v)::text AS t", Map.of("v", value)).block(WAIT).one().get("t");
	}

	private static List<Object> ids(String sql, Map<String, ?> params) {
		return node.execute(sql, params).block(WAIT).rows().stream().map(row -> row.get("id")).toList();
	}

	// ---------------------------------------------------------------- scalars

	static Stream<Arguments> scalars() {
		UUID uuid = UUID.fromString("0b6f3f0e-7a4c-4d53-9a59-63c2d1c1b1a1");
		BigInteger huge = BigInteger.TWO.pow(70).add(BigInteger.ONE);
		return Stream.of(
				argumentSet("Integer -> integer", "v_integer", 42, "integer", 42),
				argumentSet("Long 2^40 -> bigint", "v_bigint", BEYOND_INT, "bigint", BEYOND_INT),
				argumentSet("Short -> smallint", "v_smallint", (short) 7, "smallint", (short) 7),
				argumentSet("BigInteger -> numeric, read as BigDecimal", "v_numeric", huge, "numeric",
						new BigDecimal(huge)),
				argumentSet("BigDecimal -> numeric, scale kept", "v_numeric", new BigDecimal("12345.678900"), "numeric",
						new BigDecimal("12345.678900")),
				argumentSet("Double -> double precision", "v_double", 3.5d, "double precision", 3.5d),
				argumentSet("Float -> real", "v_real", 1.25f, "real", 1.25f),
				argumentSet("Boolean -> boolean", "v_boolean", true, "boolean", true),
				argumentSet("String -> text", "v_text", "héllo wörld ✓", "character varying", "héllo wörld ✓"),
				argumentSet("String -> varchar", "v_varchar", "plain", "character varying", "plain"),
				argumentSet("UUID -> uuid", "v_uuid", uuid, "uuid", uuid));
	}

	@ParameterizedTest
	@MethodSource("scalars")
	void scalarsBindAsTheirNaturalTypeAndReadBack(String column, Object value, String pgType, Object readBack) {
		assertThat(boundAs(value)).isEqualTo(pgType);
		assertThat(roundTrip(column, value)).isEqualTo(readBack).hasSameClassAs(readBack);
	}

	@Test
	void byteArrayBindsAsByteaAndReadsBackAsByteArray() {
		byte[] bytes = { 0, 1, -1, 127, -128, 42 };
		assertThat(boundAs(bytes)).isEqualTo("bytea");
		assertThat(roundTrip("v_bytea", bytes)).isInstanceOf(byte[].class).isEqualTo(bytes);
		assertThat(schema.scalar("SELECT encode(v_bytea, 'hex') FROM vals")).isEqualTo("0001ff7f802a");
	}

	@Test
	void byteBufferBindsAsByteaAndReadsBackAsByteArray() {
		ByteBuffer buffer = ByteBuffer.wrap(new byte[] { 9, 8, 7, 6 }, 1, 2);
		assertThat(boundAs(buffer.duplicate())).isEqualTo("bytea");
		assertThat(roundTrip("v_bytea", buffer.duplicate())).isEqualTo(new byte[] { 8, 7 });
	}

	@Test
	void byteaArrayReadsBackAsListOfByteArrays() {
		Object read = node.execute("SELECT ARRAY['\\x0102'::bytea, NULL, ''::bytea] AS a").block(WAIT).one().get("a");
		assertThat(read).isInstanceOf(List.class);
		List<?> list = (List<?>) read;
		assertThat(list).hasSize(3);
		assertThat(list.get(0)).isEqualTo(new byte[] { 1, 2 });
		assertThat(list.get(1)).isNull();
		assertThat(list.get(2)).isEqualTo(new byte[0]);
	}

	@Test
	void longBeyondIntegerRangeWorksInWhereAndAny() {
		assertThat(ids("SELECT id FROM users WHERE id = :id", Map.of("id", BEYOND_INT))).containsExactly(BEYOND_INT);
		assertThat(ids("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id", Map.of("ids", List.of(1L, BEYOND_INT))))
			.containsExactly(1L, BEYOND_INT);
		assertThat(ids("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id",
				Map.of("ids", new long[] { 2L, BEYOND_INT }))).containsExactly(2L, BEYOND_INT);
		// an int parameter against the bigint column: no forced ::integer anywhere
		assertThat(ids("SELECT id FROM users WHERE id = :id", Map.of("id", 2))).containsExactly(2L);
	}

	// ---------------------------------------------------------------- java.time

	static Stream<Arguments> temporals() {
		LocalDateTime local = LocalDateTime.of(2024, 1, 1, 10, 0, 0, 123_456_000);
		return Stream.of(
				argumentSet("LocalDate -> date", "v_date", LocalDate.of(2024, 2, 29), "date", LocalDate.of(2024, 2, 29)),
				argumentSet("LocalTime -> time", "v_time", LocalTime.of(23, 59, 58, 999_999_000),
						"time without time zone", LocalTime.of(23, 59, 58, 999_999_000)),
				argumentSet("OffsetTime -> timetz", "v_timetz", OffsetTime.of(8, 30, 0, 0, ZoneOffset.ofHours(5)),
						"time with time zone", OffsetTime.of(8, 30, 0, 0, ZoneOffset.ofHours(5))),
				argumentSet("LocalDateTime -> timestamp", "v_timestamp", local, "timestamp without time zone", local),
				argumentSet("Duration -> interval", "v_interval", Duration.ofHours(1).plusMinutes(30).plusMillis(15_500),
						"interval", Duration.ofHours(1).plusMinutes(30).plusMillis(15_500)),
				argumentSet("Duration of days -> interval, read back as the same Duration", "v_interval",
						Duration.ofDays(3).plusSeconds(1), "interval", Duration.ofDays(3).plusSeconds(1)),
				argumentSet("Period -> interval, read back as Period", "v_interval", Period.of(1, 2, 3), "interval",
						Period.of(1, 2, 3)));
	}

	@ParameterizedTest
	@MethodSource("temporals")
	void javaTimeValuesBindAsNativeTemporalTypes(String column, Object value, String pgType, Object readBack) {
		assertThat(boundAs(value)).isEqualTo(pgType);
		assertThat(roundTrip(column, value)).isEqualTo(readBack).hasSameClassAs(readBack);
	}

	static Stream<Arguments> instants() {
		Instant instant = Instant.parse("2024-01-01T10:00:00.123456Z");
		return Stream.of(argumentSet("Instant", instant),
				argumentSet("OffsetDateTime", instant.atOffset(ZoneOffset.ofHoursMinutes(5, 30))),
				argumentSet("ZonedDateTime", instant.atZone(ZoneId.of("America/New_York"))));
	}

	@ParameterizedTest
	@MethodSource("instants")
	void pointsInTimeBindAsTimestamptzAndReadBackAsTheSameInstant(Object value) {
		assertThat(boundAs(value)).isEqualTo("timestamp with time zone");
		Object read = roundTrip("v_timestamptz", value);
		assertThat(read).isInstanceOf(OffsetDateTime.class);
		assertThat(((OffsetDateTime) read).toInstant()).isEqualTo(Instant.parse("2024-01-01T10:00:00.123456Z"));
		assertThat(schema.scalar("SELECT extract(epoch FROM v_timestamptz)::text FROM vals")).isEqualTo("1704103200.123456");
	}

	@Test
	void intervalWithMonthsAndTimeReadsBackAsTheDriversInterval() {
		schema.sql("INSERT INTO vals (v_interval) VALUES ('1 mon 2 days 03:00:00')");
		Object read = node.execute("SELECT v_interval FROM vals").block(WAIT).one().get("v_interval");
		assertThat(read).isInstanceOf(io.r2dbc.postgresql.codec.Interval.class);
		assertThat(read).isEqualTo(io.r2dbc.postgresql.codec.Interval.of(0, 1, 2, 3, 0, 0));
	}

	@Test
	void legacyDateTypesBind() {
		Instant instant = Instant.parse("2024-01-01T10:00:00Z");
		assertThat(((OffsetDateTime) roundTrip("v_timestamptz", java.util.Date.from(instant))).toInstant()).isEqualTo(instant);
		assertThat(roundTrip("v_date", java.sql.Date.valueOf(LocalDate.of(2024, 3, 1)))).isEqualTo(LocalDate.of(2024, 3, 1));
		assertThat(roundTrip("v_timestamp", java.sql.Timestamp.valueOf(LocalDateTime.of(2024, 3, 1, 12, 0))))
			.isEqualTo(LocalDateTime.of(2024, 3, 1, 12, 0));
		assertThat(roundTrip("v_time", java.sql.Time.valueOf(LocalTime.of(12, 34, 56)))).isEqualTo(LocalTime.of(12, 34, 56));
	}

	@Test
	void seedDateExampleRuns() {
		node.execute("INSERT INTO vals (v_date) VALUES (:d)", Map.of("d", LocalDate.of(2024, 1, 2))).block(WAIT);
		List<Map<String, Object>> rows = node.execute(
				"SELECT id FROM vals WHERE v_date >= :start_date AND created_at <= :end_time",
				Map.of("start_date", LocalDate.of(2024, 1, 1), "end_time", LocalDateTime.now().plusHours(30))).block(WAIT).rows();
		assertThat(rows).hasSize(1);
	}

	// ---------------------------------------------------------------- enums

	@Test
	void stringIntoAPostgresEnumNeedsTheEnumTypeAsHint() {
		assertThatThrownBy(() -> node.execute("INSERT INTO vals (v_mood) VALUES (:m)", Map.of("m", "HAPPY")).block(WAIT))
			.isInstanceOfSatisfying(InvalidStatementException.class, ex -> assertThat(ex.sqlState()).isEqualTo("42804"));
		node.execute(Query.of("INSERT INTO vals (v_mood) VALUES (:m)").param("m", "HAPPY")
			.parameterTypes(Map.of("m", "mood"))).block(WAIT);
		assertThat(schema.scalar("SELECT v_mood::text FROM vals")).isEqualTo("HAPPY");
	}

	@Test
	void enumBindsAsItsNameIntoText() {
		assertThat(roundTrip("v_text", Mood.HAPPY)).isEqualTo("HAPPY");
	}

	@Test
	void enumBindsAsItsNameIntoAPostgresEnumAndReadsBackAsText() {
		assertThat(roundTrip("v_mood", Mood.SAD)).isEqualTo("SAD");
		assertThat(node.execute("SELECT count(*) AS n FROM vals WHERE v_mood = :m", Map.of("m", Mood.SAD)).block(WAIT)
			.one()).containsEntry("n", 1L);
		assertThat(node.execute("SELECT count(*) AS n FROM vals WHERE v_mood = ANY(:m)",
				Map.of("m", List.of(Mood.SAD, Mood.HAPPY))).block(WAIT).one()).containsEntry("n", 1L);
	}

	// ---------------------------------------------------------------- arrays

	@Test
	void listIntoTextArrayColumn() {
		assertThat(roundTrip("v_tags", List.of("premium", "verified", "active"))).isEqualTo(List.of("premium", "verified",
				"active"));
		assertThat(schema.scalar("SELECT v_tags::text FROM vals")).isEqualTo("{premium,verified,active}");
	}

	@Test
	void seedArrayInsertExampleRuns() {
		assertThat(node.execute("INSERT INTO user_tags (user_id, tags) VALUES (:user_id, :tags)",
				Map.of("user_id", 123, "tags", List.of("premium", "verified", "active"))).block(WAIT).rowCount()).isEqualTo(1);
		assertThat(schema.scalar("SELECT array_length(tags, 1) FROM user_tags WHERE user_id = 123")).isEqualTo(3);
		assertThat(ids("SELECT user_id AS id FROM user_tags WHERE tags = :tags",
				Map.of("tags", List.of("premium", "verified", "active")))).containsExactly(123L);
		assertThat(ids("SELECT user_id AS id FROM user_tags WHERE tags = :tags", Map.of("tags", List.of("premium"))))
			.isEmpty();
	}

	@Test
	void emptyListIntoTextArrayColumn() {
		assertThat(roundTrip("v_tags", List.of())).isEqualTo(List.of());
		assertThat(schema.scalar("SELECT cardinality(v_tags) FROM vals")).isEqualTo(0);
	}

	@Test
	void listWithNullsIntoTextArrayColumn() {
		List<String> tags = Arrays.asList("a", null, "b");
		assertThat(roundTrip("v_tags", tags)).isEqualTo(tags);
		assertThat(schema.scalar("SELECT array_position(v_tags, NULL) FROM vals")).isEqualTo(2);
	}

	@Test
	void setsAndJavaArraysBindAsArrays() {
		assertThat(roundTrip("v_tags", new LinkedHashSet<>(List.of("x", "y")))).isEqualTo(List.of("x", "y"));
		assertThat(roundTrip("v_tags", new String[] { "p", "q" })).isEqualTo(List.of("p", "q"));
		assertThat(roundTrip("v_integers", new int[] { 3, 2, 1 })).isEqualTo(List.of(3, 2, 1));
		assertThat(roundTrip("v_ids", List.of(BEYOND_INT, -1L))).isEqualTo(List.of(BEYOND_INT, -1L));
	}

	@Test
	void arrayElementsWithSpecialCharactersRoundTrip() {
		List<String> tags = List.of("a,b", "c\"d", "back\\slash", "{braces}", "NULL", "", " padded ", "O'Brien");
		assertThat(roundTrip("v_tags", tags)).isEqualTo(tags);
	}

	@Test
	void arraysOfUuidsAndDates() {
		UUID a = UUID.randomUUID();
		UUID b = UUID.randomUUID();
		assertThat(roundTrip("v_uuids", List.of(a, b))).isEqualTo(List.of(a, b));
		assertThat(roundTrip("v_dates", List.of(LocalDate.of(2024, 1, 1)))).isEqualTo(List.of(LocalDate.of(2024, 1, 1)));
		node.execute("INSERT INTO vals (v_uuid) VALUES (:u)", Map.of("u", a)).block(WAIT);
		assertThat(node.execute("SELECT count(*) AS n FROM vals WHERE v_uuid = ANY(:ids)", Map.of("ids", List.of(b, a)))
			.block(WAIT).one()).containsEntry("n", 1L);
	}

	@Test
	void anyWithEmptyListMatchesNothing() {
		assertThat(ids("SELECT id FROM users WHERE id = ANY(:ids)", Map.of("ids", List.of()))).isEmpty();
		assertThat(ids("SELECT id FROM users WHERE NOT (id = ANY(:ids)) ORDER BY id", Map.of("ids", List.of())))
			.containsExactly(1L, 2L, BEYOND_INT);
	}

	@Test
	void anyWithNullElementsMatchesTheOthers() {
		assertThat(ids("SELECT id FROM users WHERE id = ANY(:ids) ORDER BY id", Map.of("ids", Arrays.asList(1L, null,
				BEYOND_INT)))).containsExactly(1L, BEYOND_INT);
	}

	// ---------------------------------------------------------------- IN lists

	@Test
	void inListExpandsToOneBindPerElement() {
		assertThat(ids("SELECT id FROM users WHERE id IN (:ids) ORDER BY id", Map.of("ids", List.of(2L, BEYOND_INT))))
			.containsExactly(2L, BEYOND_INT);
		assertThat(ids("SELECT id FROM users WHERE name IN (:names) ORDER BY id",
				Map.of("names", new LinkedHashSet<>(List.of("ada", "big"))))).containsExactly(1L, BEYOND_INT);
		assertThat(ids("SELECT id FROM users WHERE id NOT IN (:ids) ORDER BY id", Map.of("ids", new long[] { 1L })))
			.containsExactly(2L, BEYOND_INT);
	}

	@Test
	void emptyInListMatchesNothing() {
		assertThat(ids("SELECT id FROM users WHERE id IN (:ids)", Map.of("ids", List.of()))).isEmpty();
		assertThat(ids("SELECT id FROM users WHERE id IN (:ids) OR name = :name", Map.of("ids", List.of(), "name", "ada")))
			.containsExactly(1L);
	}

	@Test
	void emptyNotInListMatchesEverything() {
		assertThat(ids("SELECT id FROM users WHERE id NOT IN (:ids) ORDER BY id", Map.of("ids", List.of())))
			.containsExactly(1L, 2L, BEYOND_INT);
		assertThat(ids("SELECT id FROM users WHERE id NOT IN (:ids) AND name <> :name ORDER BY id",
				Map.of("ids", List.of(), "name", "ada"))).containsExactly(2L, BEYOND_INT);
	}

	@Test
	void inListOfEnumsAndUuids() {
		node.execute("INSERT INTO vals (v_mood, v_uuid) VALUES ('HAPPY', :u)", Map.of("u", new UUID(0, 1))).block(WAIT);
		assertThat(node.execute("SELECT count(*) AS n FROM vals WHERE v_mood IN (:m) AND v_uuid IN (:u)",
				Map.of("m", List.of(Mood.HAPPY), "u", List.of(new UUID(0, 1), new UUID(0, 2)))).block(WAIT).one())
			.containsEntry("n", 1L);
	}

	// ---------------------------------------------------------------- JSON

	record Login(String action, Instant at, Map<String, String> metadata) {
	}

	/** A plain bean, as many applications still write them. */
	public static final class Preferences {

		private boolean email = true;

		private List<String> channels = List.of("push");

		public boolean isEmail() {
			return this.email;
		}

		public void setEmail(boolean email) {
			this.email = email;
		}

		public List<String> getChannels() {
			return this.channels;
		}

		public void setChannels(List<String> channels) {
			this.channels = channels;
		}

	}

	@Test
	void mapBindsAsJsonbAndReadsBackAsMap() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("action", "login");
		data.put("timestamp", "2024-01-01T10:00:00Z");
		data.put("metadata", Map.of("ip", "192.168.1.1", "user_agent", "Chrome/91.0"));
		data.put("attempts", 3);
		data.put("tags", List.of("a", "b"));
		assertThat(boundAs(data)).isEqualTo("jsonb");
		Object read = roundTrip("v_jsonb", data);
		assertThat(read).isInstanceOf(Map.class).isEqualTo(data);
		assertThat(schema.scalar("SELECT v_jsonb #>> '{metadata,ip}' FROM vals")).isEqualTo("192.168.1.1");
	}

	@Test
	void seedJsonExampleRuns() {
		node.execute("INSERT INTO events (user_id, event_data) VALUES (:user_id, :data)", Map.of("user_id", 123, "data",
				Map.of("action", "login", "timestamp", "2024-01-01T10:00:00Z", "metadata",
						Map.of("ip", "192.168.1.1", "user_agent", "Chrome/91.0")))).block(WAIT);
		assertThat(schema.scalar("SELECT event_data #>> '{metadata,user_agent}' FROM events")).isEqualTo("Chrome/91.0");
	}

	@Test
	void mapIntoJsonColumn() {
		assertThat(roundTrip("v_json", Map.of("k", List.of(1, 2)))).isEqualTo(Map.of("k", List.of(1, 2)));
		assertThat(schema.scalar("SELECT pg_typeof(v_json)::text FROM vals")).isEqualTo("json");
	}

	@Test
	void recordsAndBeansBindAsJsonWhenHinted() {
		Login login = new Login("login", Instant.parse("2024-01-01T10:00:00Z"), Map.of("ip", "10.0.0.1"));
		node.execute(Query.of("INSERT INTO vals (v_jsonb, v_json) VALUES (:login, :prefs)")
			.params(Map.of("login", login, "prefs", new Preferences()))
			.parameterTypes(Map.of("login", "jsonb", "prefs", "json"))).block(WAIT);
		Map<String, Object> row = node.execute("SELECT v_jsonb, v_json FROM vals").block(WAIT).one();
		assertThat(row.get("v_jsonb")).isEqualTo(Map.of("action", "login", "at", "2024-01-01T10:00:00Z", "metadata",
				Map.of("ip", "10.0.0.1")));
		assertThat(row.get("v_json")).isEqualTo(Map.of("email", true, "channels", List.of("push")));
	}

	@Test
	void listHintedAsJsonbIsAJsonArrayNotAPostgresArray() {
		Object read = node.execute(Query.of("INSERT INTO vals (v_jsonb) VALUES (:v) RETURNING v_jsonb")
			.param("v", List.of(Map.of("a", 1), "two", 3))
			.parameterTypes(Map.of("v", "jsonb"))).block(WAIT).one().get("v_jsonb");
		assertThat(read).isEqualTo(List.of(Map.of("a", 1), "two", 3));
	}

	@Test
	void jsonTextHintedAsJsonbIsParsedByTheServer() {
		Object read = node.execute(Query.of("INSERT INTO vals (v_jsonb) VALUES (:v) RETURNING v_jsonb")
			.param("v", "[\"read\", \"write\"]")
			.parameterTypes(Map.of("v", "jsonb"))).block(WAIT).one().get("v_jsonb");
		assertThat(read).isEqualTo(List.of("read", "write"));
	}

	@Test
	void jackson3TreeBindsAsJsonb() {
		tools.jackson.databind.node.ObjectNode tree = tools.jackson.databind.json.JsonMapper.builder().build()
			.createObjectNode()
			.put("library", "jackson3")
			.put("n", 3);
		assertThat(boundAs(tree)).isEqualTo("jsonb");
		assertThat(roundTrip("v_jsonb", tree)).isEqualTo(Map.of("library", "jackson3", "n", 3));
	}

	@Test
	void jackson2TreeBindsAsJsonbWhileJackson3IsTheActiveCodec() {
		com.fasterxml.jackson.databind.node.ObjectNode tree = new com.fasterxml.jackson.databind.ObjectMapper()
			.createObjectNode()
			.put("library", "jackson2");
		tree.putArray("list").add(1).add("two");
		assertThat(boundAs(tree)).isEqualTo("jsonb");
		assertThat(roundTrip("v_jsonb", tree)).isEqualTo(Map.of("library", "jackson2", "list", List.of(1, "two")));
		Object hinted = node.execute(Query.of("INSERT INTO vals (v_json) VALUES (:v) RETURNING v_json").param("v", tree)
			.parameterTypes(Map.of("v", "json"))).block(WAIT).one().get("v_json");
		assertThat(hinted).isEqualTo(Map.of("library", "jackson2", "list", List.of(1, "two")));
	}

	@Test
	void jsonScalarsAndArraysReadBackAsJavaValues() {
		Map<String, Object> row = node.execute("SELECT '[1, \"a\", null]'::jsonb AS arr, '\"text\"'::json AS str, "
				+ "'null'::jsonb AS nul, '12.5'::jsonb AS num").block(WAIT).one();
		assertThat(row.get("arr")).isEqualTo(Arrays.asList(1, "a", null));
		assertThat(row.get("str")).isEqualTo("text");
		assertThat(row).containsEntry("nul", null);
		assertThat(row.get("num")).isEqualTo(12.5d);
	}

	// ---------------------------------------------------------------- nulls

	@ParameterizedTest
	@ValueSource(strings = { "v_integer", "v_bigint", "v_uuid", "v_jsonb", "v_json", "v_timestamptz", "v_date",
			"v_bytea", "v_tags", "v_mood", "v_interval", "v_numeric", "v_boolean" })
	void nullIntoAnyColumnIsATypedNull(String column) {
		Object id = node.execute("INSERT INTO vals (v_text) VALUES ('row') RETURNING id").block(WAIT).one().get("id");
		Map<String, Object> params = new HashMap<>();
		params.put("v", null);
		params.put("id", id);
		assertThat(node.execute("UPDATE vals SET " + column + " = :v WHERE id = :id", params).block(WAIT).rowCount())
			.isEqualTo(1);
		assertThat(schema.scalar("SELECT " + column + " IS NULL FROM vals")).isEqualTo(true);
		assertThat(roundTrip(column, null)).isNull();
	}

	@Test
	void nullWithAHintIsTypedByTheHint() {
		Map<String, Object> params = new HashMap<>();
		params.put("v", null);
		Map<String, Object> row = node.execute(Query.of("SELECT :v IS NULL AS missing, pg_typeof(:v)::text AS t")
			.params(params)
			.parameterTypes(Map.of("v", "uuid"))).block(WAIT).one();
		assertThat(row).containsEntry("missing", true).containsEntry("t", "uuid");
	}

	@Test
	void nullWhoseTypeTheServerCannotInferAsksForAHintNamingTheParameter() {
		Map<String, Object> params = new HashMap<>();
		params.put("id", 1L);
		params.put("name", null);
		String sql = "SELECT id FROM users WHERE id >= :id AND (:name IS NULL OR name = :name) ORDER BY id";
		assertThatThrownBy(() -> node.execute(sql, params).block(WAIT))
			.isInstanceOfSatisfying(InvalidStatementException.class, ex -> assertThat(ex.sqlState()).startsWith("42P"))
			.hasMessageContaining("parameter :name a type hint");
		assertThat(node.execute(Query.of(sql).params(params).parameterTypes(Map.of("name", "text"))).block(WAIT).rows())
			.extracting(row -> row.get("id")).containsExactly(1L, 2L, BEYOND_INT);
		assertThat(ids(sql, Map.of("id", 1L, "name", "ada"))).containsExactly(1L);
	}

	// ---------------------------------------------------------------- refusals

	/** A value type nobody registered: its toString carries something that must never reach a message. */
	static final class Opaque {

		@Override
		public String toString() {
			return "secret-value-42";
		}

	}

	@Test
	void unbindableValueIsRefusedNamingTheParameterAndTypeButNotTheValue() {
		assertThatThrownBy(() -> node.execute("INSERT INTO vals (v_text) VALUES (:payload)", Map.of("payload", new Opaque()))
			.block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("payload");
				assertThat(ex.getMessage()).contains("':payload'").contains(Opaque.class.getName())
					.contains("jsonb").doesNotContain("secret-value-42");
			});
		assertThat(schema.scalar("SELECT count(*) FROM vals")).isEqualTo(0L);
	}

	@Test
	void unbindableArrayElementIsRefusedNamingTheParameterAndElementType() {
		List<Object> values = new ArrayList<>(List.of("fine"));
		values.add(new Opaque());
		assertThatThrownBy(() -> node.execute("INSERT INTO vals (v_tags) VALUES (:tags)", Map.of("tags", values)).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("tags");
				assertThat(ex.getMessage()).contains("':tags'").contains(Opaque.class.getName())
					.doesNotContain("secret-value-42");
			});
		assertThat(schema.scalar("SELECT count(*) FROM vals")).isEqualTo(0L);
	}

	/** Serializing it loops forever; Jackson refuses it. */
	public static final class Cyclic {

		public Cyclic getSelf() {
			return this;
		}

		public String getSecret() {
			return "secret-value-42";
		}

	}

	/** A bean whose getter fails, saying something about its state. */
	public static final class Failing {

		public String getName() {
			throw new IllegalStateException("secret-value-42 is broken");
		}

	}

	@Test
	void valueThatCannotBeSerializedToJsonIsRefusedWithoutTheValue() {
		for (Object value : List.of(new Cyclic(), new Failing())) {
			assertThatThrownBy(() -> node.execute(Query.of("INSERT INTO vals (v_jsonb) VALUES (:doc)")
				.param("doc", value)
				.parameterTypes(Map.of("doc", "jsonb"))).block(WAIT))
				.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
					assertThat(ex.parameter()).isEqualTo("doc");
					assertThat(ex.getMessage()).contains("':doc'").contains(value.getClass().getName())
						.doesNotContain("secret-value-42");
				});
		}
		assertThat(schema.scalar("SELECT count(*) FROM vals")).isEqualTo(0L);
	}

	@Test
	void unbindablePositionalValueIsRefusedNamingItsMarker() {
		assertThatThrownBy(() -> node.execute("SELECT $1::text, $2::text", List.of("ok", new Opaque())).block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("2");
				assertThat(ex.getMessage()).contains("$2").contains(Opaque.class.getName()).doesNotContain("secret-value-42");
			});
	}

	enum Unknown {

		SECRET_MOOD

	}

	@Test
	void serverRejectingAnArrayOrEnumValueDoesNotEchoIt() {
		assertThatThrownBy(() -> node.execute("INSERT INTO vals (v_mood) VALUES (:m)", Map.of("m", Unknown.SECRET_MOOD))
			.block(WAIT))
			.hasMessageContaining("22P02")
			.hasMessageNotContaining("SECRET_MOOD");
		assertThatThrownBy(() -> node.execute("INSERT INTO vals (v_integers) VALUES (:v)",
				Map.of("v", List.of("secret-number"))).block(WAIT))
			.hasMessageContaining("22P02")
			.hasMessageNotContaining("secret-number");
	}

}
