package io.asyncsql.core.dialect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.core.sql.NullBind;
import io.asyncsql.core.sql.ParameterBinder;
import io.asyncsql.core.sql.SqlLexer;
import io.asyncsql.core.sql.SqlSyntax;
import io.asyncsql.core.sql.SqlTemplateCache;
import io.asyncsql.core.validation.QueryValidator;
import io.asyncsql.core.validation.ValidationKeywords;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Embedded H2 through r2dbc-h2, for applications that want no database server at all.
 * <ul>
 * <li>Without {@code database} the node gets an in-memory database of its own; a {@code database} that looks like
 * a path ({@code ./data/app}, {@code /var/db/app}) is a file database, any other name an in-memory database of that
 * name. In-memory databases live until the JVM ends ({@code DB_CLOSE_DELAY=-1}), so the data survives idle pool
 * connections being closed.</li>
 * <li>Databases run in H2's PostgreSQL compatibility mode with lower-case identifiers, so portable SQL and quoted
 * lower-case names behave as on PostgreSQL; identifiers match ignoring case, so Spring Data's quoted upper-case names
 * find the same tables. The node's {@code options} (and a URL's {@code options}) replace any of these settings.</li>
 * <li>Named parameters become {@code $n}; collections bind as H2 arrays ({@code = ANY(:ids)}) and expand in
 * {@code IN (:list)}; maps and JSON trees bind as JSON; JSON columns read back parsed.</li>
 * <li>Type hints are applied as {@code CAST(CAST($n AS VARCHAR) AS type)} (r2dbc-h2 binds strings as CLOBs,
 * which H2 does not cast to most types), and a {@code json} hint as {@code $n FORMAT JSON}.</li>
 * <li>The node timeout is the session's {@code QUERY_TIMEOUT}, enforced by the engine; there is no separate cancel
 * channel.</li>
 * </ul>
 */
final class H2Dialect extends BaseDialect {

	private static final SqlTemplateCache TEMPLATES = new SqlTemplateCache(new SqlLexer(SqlSyntax.H2),
			SqlTemplateCache.DEFAULT_CAPACITY);

	private static final QueryValidator VALIDATOR = new QueryValidator(ValidationKeywords.H2,
			QueryValidator.DEFAULT_CACHE_CAPACITY);

	// H2 reports deadlocks as 40001 with its own code 40001; 50200 is a lock timeout, 90131 a concurrent update
	private static final TransientFailureClassifier CLASSIFIER = new TransientFailureClassifier(Map.of(
			40001, TransientReason.DEADLOCK, 50200, TransientReason.LOCK_NOT_AVAILABLE, 90131,
			TransientReason.SERIALIZATION));

	private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*){0,3}"
			+ "(?:\\(\\d+(?:, ?\\d+)?\\))?(?: ARRAY)?", Pattern.CASE_INSENSITIVE);

	private static final Option<String> OPTIONS = Option.valueOf("options");

	// what asyncsql's SQL relies on, each overridable by the URL's and the node's options: PostgreSQL mode with
	// lower-case identifiers, and identifiers matched case-insensitively so that Spring Data's upper-case quoted
	// names ("CUSTOMER") find the same tables as unquoted SQL does
	private static final String DEFAULT_SETTINGS = "DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
			+ "CASE_INSENSITIVE_IDENTIFIERS=TRUE;DEFAULT_NULL_ORDERING=HIGH";

	private static final AtomicLong anonymousDatabases = new AtomicLong();

	private final @Nullable NodeSettings settings;

	H2Dialect(JsonCodec json, @Nullable NodeSettings settings) {
		super(json, TEMPLATES, VALIDATOR, CLASSIFIER);
		this.settings = settings;
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.H2;
	}

	@Override
	public boolean reusableMarkers() {
		return true;
	}

	@Override
	public String marker(int index) {
		return "$" + (index + 1);
	}

	@Override
	public boolean supportsTypeHints() {
		return true;
	}

	@Override
	public void checkTypeHint(String hint) {
		if (!TYPE_NAME.matcher(hint).matches()) {
			throw new IllegalArgumentException("'" + hint + "' is not an H2 type name (expected a name such as "
					+ "JSON, UUID, NUMERIC(10,2) or INTEGER ARRAY)");
		}
	}

	@Override
	public String castMarker(String marker, String hint) {
		// r2dbc-h2 binds strings as CLOBs, which H2 does not cast to most types: go through VARCHAR first
		return isJsonType(hint) ? marker + " FORMAT JSON" : "CAST(CAST(" + marker + " AS VARCHAR) AS " + hint + ")";
	}

	@Override
	public String emptyInList(boolean negated) {
		// x IN (NULL) is NULL: IS [NOT] TRUE pins it to false (true when negated), binding tighter than AND/OR
		return negated ? "IN (NULL) IS NOT TRUE" : "IN (NULL) IS TRUE";
	}

	@Override
	public Object toBindValue(Object value, @Nullable String hint) {
		if (hint != null && isJsonType(hint)) {
			return (value instanceof String text) ? text : this.json.write(value);
		}
		if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
				|| value instanceof BigDecimal || value instanceof Double || value instanceof Short
				|| value instanceof Float || value instanceof UUID || value instanceof LocalDate
				|| value instanceof LocalDateTime || value instanceof LocalTime || value instanceof OffsetDateTime
				|| value instanceof OffsetTime || value instanceof Instant || value instanceof ZonedDateTime
				|| value instanceof Duration || value instanceof Period || value instanceof byte[]
				|| value instanceof ByteBuffer) {
			return value;
		}
		if (value instanceof BigInteger integer) {
			return new BigDecimal(integer);
		}
		if (value instanceof Byte b) {
			return b.shortValue();
		}
		if (value instanceof Character c) {
			return c.toString();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		if (value instanceof java.util.Date date) {
			return date.toInstant();
		}
		if (ParameterBinder.isCollection(value)) {
			List<?> elements = ParameterBinder.elements(value);
			Object[] array = new Object[elements.size()];
			for (int i = 0; i < array.length; i++) {
				Object element = elements.get(i);
				array[i] = (element != null) ? toBindValue(element, null) : null;
			}
			return array;
		}
		if (value instanceof Map<?, ?> || this.json.isTree(value)) {
			// H2 reads UTF-8 bytes bound to a JSON column as JSON; a string would become a JSON string value
			return this.json.write(value).getBytes(StandardCharsets.UTF_8);
		}
		throw new IllegalArgumentException("values of type " + value.getClass().getName()
				+ " are not bound directly; give the parameter a json type hint to store it as JSON");
	}

	private static boolean isJsonType(String hint) {
		return hint.toLowerCase(Locale.ROOT).equals("json");
	}

	@Override
	public NullBind nullValue(@Nullable String hint) {
		return NullBind.STRING;
	}

	@Override
	public Object readValue(Object value) {
		if (value instanceof Object[] array) {
			List<Object> list = new ArrayList<>(array.length);
			for (Object element : array) {
				list.add((element != null) ? readValue(element) : null);
			}
			return list;
		}
		if (value instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		return value;
	}

	@Override
	public Object readColumn(Object value, String nativeTypeName) {
		if (value instanceof String text && "JSON".equalsIgnoreCase(nativeTypeName) && this.json.isAvailable()) {
			return this.json.read(text);
		}
		return readValue(value);
	}

	@Override
	public ConnectionFactoryOptions connectionOptions(NodeSettings settings) {
		ConnectionSettings connection = settings.connection();
		ConnectionFactoryOptions.Builder options;
		// H2 refuses a setting given twice: later sources replace earlier ones, keys compared ignoring case
		Map<String, String> h2Settings = settingsOf(DEFAULT_SETTINGS);
		h2Settings.put("QUERY_TIMEOUT", Long.toString(settings.timeout().toMillis()));
		if (connection.url() != null) {
			options = ConnectionOptions.of(settings, "h2", Set.of("h2"));
			Object fromUrl = options.build().getValue(OPTIONS);
			if (fromUrl != null) {
				h2Settings.putAll(settingsOf(fromUrl.toString()));
			}
		}
		else {
			String database = (connection.database() != null) ? connection.database()
					: "asyncsql_" + settings.name() + "_" + anonymousDatabases.incrementAndGet();
			boolean file = database.startsWith(".") || database.startsWith("/") || database.startsWith("~")
					|| database.contains("/") || database.contains("\\");
			options = ConnectionFactoryOptions.builder()
				.option(ConnectionFactoryOptions.DRIVER, "h2")
				.option(ConnectionFactoryOptions.PROTOCOL, file ? "file" : "mem")
				.option(ConnectionFactoryOptions.DATABASE, database)
				.option(ConnectionFactoryOptions.USER, (connection.username() != null) ? connection.username() : "sa")
				.option(ConnectionFactoryOptions.PASSWORD, (connection.password() != null) ? connection.password() : "");
		}
		connection.options().forEach((key, value) -> h2Settings.put(key.trim().toUpperCase(Locale.ROOT), value));
		options.option(OPTIONS, h2Settings.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.joining(";")));
		return options.build();
	}

	private static Map<String, String> settingsOf(String options) {
		Map<String, String> parsed = new LinkedHashMap<>();
		for (String setting : options.split(";")) {
			int equals = setting.indexOf('=');
			if (equals > 0) {
				parsed.put(setting.substring(0, equals).trim().toUpperCase(Locale.ROOT), setting.substring(equals + 1).trim());
			}
		}
		return parsed;
	}

	@Override
	public Mono<Void> cancelStatement(Connection connection) {
		// the engine runs statements on the caller's thread and enforces QUERY_TIMEOUT itself
		return Mono.empty();
	}

	@Override
	public Mono<Void> setStatementTimeout(Connection connection, Duration timeout) {
		return simple(connection, "SET QUERY_TIMEOUT " + timeout.toMillis());
	}

	@Override
	public Mono<Void> resetStatementTimeout(Connection connection) {
		return (this.settings != null) ? setStatementTimeout(connection, this.settings.timeout()) : Mono.empty();
	}

}
