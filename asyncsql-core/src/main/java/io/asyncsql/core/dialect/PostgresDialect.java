package io.asyncsql.core.dialect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.Pooler;
import io.asyncsql.core.SslMode;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.sql.NullBind;
import io.asyncsql.core.sql.ParameterBinder;
import io.asyncsql.core.sql.SqlLexer;
import io.asyncsql.core.sql.SqlSyntax;
import io.asyncsql.core.sql.SqlTemplateCache;
import io.asyncsql.core.validation.QueryValidator;
import io.asyncsql.core.validation.ValidationKeywords;
import io.netty.handler.ssl.SslContextBuilder;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.postgresql.codec.Interval;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * PostgreSQL through r2dbc-postgresql.
 * <ul>
 * <li>Named parameters become {@code $n}; a name used twice binds once.</li>
 * <li>Type hints are casts on the marker ({@code $3::jsonb}), skipped where the SQL already casts.</li>
 * <li>Collections bind as array literals of unspecified type, so the server picks the element type from the
 * statement: {@code id = ANY(:ids)} works for {@code bigint} ids beyond 2^31 and for empty lists.</li>
 * <li>Maps and JSON trees (Jackson 2 or 3) bind as {@code jsonb}; anything else (records, beans, lists) binds as
 * JSON only with a {@code json}/{@code jsonb} type hint; {@code json}/{@code jsonb} columns come back parsed.</li>
 * <li>Enums bind as their {@code name()} with unspecified type, so they fit {@code text} and PostgreSQL enum
 * columns alike. {@code Duration} and {@code Period} bind as {@code interval}; {@code java.util.Date} as
 * {@code timestamptz}, {@code java.sql.Date}/{@code Time}/{@code Timestamp} as {@code date}/{@code time}/
 * {@code timestamp}. Nulls bind with unspecified type, so the column or a hint types them.</li>
 * <li>The node timeout is the session's {@code statement_timeout}; a client timer sends a cancel request as a
 * backstop. Behind a transaction-pooling proxy ({@link Pooler#TRANSACTION}) sessions carry no state: statements are
 * unnamed, no session parameter is sent, and the client timer's cancel request is the timeout.</li>
 * <li>The node's {@code options} are session parameters ({@code search_path}, {@code lock_timeout}...), except
 * the driver's TLS files: {@code sslRootCert} (the CA certificate that {@code verify-ca}/{@code verify-full}
 * trust, PEM), {@code sslCert}, {@code sslKey} and {@code sslPassword} (a client certificate, its key and the key's
 * password), also written {@code ssl-root-cert} and so on.</li>
 * </ul>
 * Column values are read as the driver decodes them, except: {@code json}/{@code jsonb} become maps, lists,
 * strings, numbers and booleans (text when no JSON library is present); arrays become {@code List}s (the driver
 * has no decoder for {@code json[]}/{@code jsonb[]}, which come back as their array text);
 * {@code bytea} becomes {@code byte[]}; an {@code interval} becomes a {@code Duration} when it has no months or
 * years (a day counts as 24 hours), a {@code Period} when it has only years, months and days, and stays the
 * driver's {@code Interval} otherwise. So {@code integer} reads as {@code Integer}, {@code bigint} as
 * {@code Long}, {@code smallint} as {@code Short}, {@code numeric} as {@code BigDecimal}, {@code real} as
 * {@code Float}, {@code double precision} as {@code Double}, {@code timestamptz} as an {@code OffsetDateTime} of
 * the same instant, {@code timestamp} as {@code LocalDateTime}, {@code timetz} as {@code OffsetTime} and
 * PostgreSQL enums as their label ({@code String}).
 */
final class PostgresDialect extends BaseDialect {

	private static final String MODIFIER = "(?:\\(\\d+(?:, ?\\d+)?\\))?";

	// [schema.]name[(n[,m])] or one of SQL's few multi-word type names, then any number of []; free words are not
	// allowed, or a hint such as "int or true" would become SQL
	private static final Pattern TYPE_NAME = Pattern.compile("(?:(?:[A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*"
			+ MODIFIER + "|(?i:double precision)|(?i:(?:national )?(?:character|char) varying|national character"
			+ "|bit varying)" + MODIFIER + "|(?i:timestamp|time)(?:\\(\\d+\\))?(?i: with(?:out)? time zone))"
			+ "(?:\\[\\d*\\])*");

	// an application uses a handful of hint texts on every call: remember the valid ones instead of matching again
	private static final int VALID_HINTS_CAPACITY = 1024;

	private static final Set<String> VALID_HINTS = ConcurrentHashMap.newKeySet();

	private static final SqlTemplateCache TEMPLATES = new SqlTemplateCache(new SqlLexer(SqlSyntax.POSTGRESQL),
			SqlTemplateCache.DEFAULT_CAPACITY);

	private static final QueryValidator VALIDATOR = new QueryValidator(ValidationKeywords.POSTGRESQL,
			QueryValidator.DEFAULT_CACHE_CAPACITY);

	private static final TransientFailureClassifier CLASSIFIER = new TransientFailureClassifier();

	private static final String[] MARKERS = new String[256];

	static {
		for (int i = 0; i < MARKERS.length; i++) {
			MARKERS[i] = "$" + (i + 1);
		}
	}

	private static final Set<String> FAILURE_SEVERITIES = Set.of("ERROR", "FATAL", "PANIC");

	// node options naming the driver's TLS files (sslRootCert, ssl-root-cert...), keyed without dashes, lower case;
	// every other option is a session parameter
	private static final Map<String, Option<String>> TLS_OPTIONS = Map.of("sslrootcert",
			PostgresqlConnectionFactoryProvider.SSL_ROOT_CERT, "sslcert", PostgresqlConnectionFactoryProvider.SSL_CERT,
			"sslkey", PostgresqlConnectionFactoryProvider.SSL_KEY, "sslpassword",
			PostgresqlConnectionFactoryProvider.SSL_PASSWORD);

	// Netty 4.1 has no such setting and leaves the host name check to the driver
	private static final boolean NETTY_CHECKS_HOST_NAMES = hasMethod(SslContextBuilder.class,
			"endpointIdentificationAlgorithm", String.class);

	/** Prepared statements kept per connection; r2dbc-postgresql keeps all of them by default. */
	static final int PREPARED_STATEMENT_CACHE = 256;

	PostgresDialect(JsonCodec json) {
		super(json, TEMPLATES, VALIDATOR, CLASSIFIER);
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.POSTGRESQL;
	}

	@Override
	public boolean reusableMarkers() {
		return true;
	}

	@Override
	public String marker(int index) {
		return (index < MARKERS.length) ? MARKERS[index] : "$" + (index + 1);
	}

	@Override
	public boolean supportsTypeHints() {
		return true;
	}

	@Override
	public void checkTypeHint(String hint) {
		if (VALID_HINTS.contains(hint)) {
			return;
		}
		if (!TYPE_NAME.matcher(hint).matches()) {
			throw new IllegalArgumentException("'" + hint + "' is not a PostgreSQL type name (expected a name such as "
					+ "jsonb, uuid, numeric(10,2), timestamp with time zone or text[])");
		}
		if (VALID_HINTS.size() < VALID_HINTS_CAPACITY) {
			VALID_HINTS.add(hint);
		}
	}

	@Override
	public String castMarker(String marker, String hint) {
		return marker + "::" + hint;
	}

	@Override
	public String emptyInList(boolean negated) {
		// x IN () is always false and x NOT IN () always true; IN (NULL) is NULL, so pin it with IS [NOT] TRUE,
		// which binds looser than IN and tighter than AND/OR
		return negated ? "IN (NULL) IS NOT TRUE" : "IN (NULL) IS TRUE";
	}

	@Override
	public Object toBindValue(Object value, @Nullable String hint) {
		if (hint != null && isJsonType(hint) && !(value instanceof String) && !(value instanceof Json)) {
			return this.json.write(value);
		}
		if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
				|| value instanceof BigDecimal || value instanceof Double || value instanceof UUID
				|| value instanceof Short || value instanceof Float || value instanceof BigInteger
				|| value instanceof LocalDate || value instanceof LocalDateTime || value instanceof OffsetDateTime
				|| value instanceof Instant || value instanceof LocalTime || value instanceof OffsetTime
				|| value instanceof ZonedDateTime || value instanceof byte[] || value instanceof ByteBuffer
				|| value instanceof Json || value instanceof Interval || value instanceof InetAddress) {
			return value;
		}
		if (value instanceof Byte b) {
			return b.shortValue();
		}
		if (value instanceof Character c) {
			return c.toString();
		}
		if (value instanceof Enum<?> constant) {
			// unspecified type: the server reads it as the column's type, a PostgreSQL enum as well as text
			return Parameters.in(PostgresqlObjectId.UNSPECIFIED, constant.name());
		}
		if (value instanceof Duration duration) {
			return Interval.of(duration);
		}
		if (value instanceof Period period) {
			return Interval.of(period);
		}
		if (value instanceof java.util.Date date) {
			return legacyDate(date);
		}
		if (ParameterBinder.isCollection(value)) {
			return Parameters.in(PostgresqlObjectId.UNSPECIFIED,
					PostgresArrayLiteral.of(ParameterBinder.elements(value), this.json));
		}
		if (value instanceof Map<?, ?> || this.json.isTree(value)) {
			return Json.of(this.json.write(value));
		}
		if (value.getClass().getName().startsWith("io.r2dbc.")) {
			// driver types (Point, Box, Circle, Blob, Clob, Parameter...) the driver binds itself
			return value;
		}
		throw new IllegalArgumentException("values of type " + value.getClass().getName()
				+ " are not bound directly; give the parameter a jsonb or json type hint to store it as JSON");
	}

	// java.sql.Date and java.sql.Time refuse toInstant(); each legacy type maps to the SQL type JDBC gives it
	private static Object legacyDate(java.util.Date date) {
		if (date instanceof java.sql.Date sqlDate) {
			return sqlDate.toLocalDate();
		}
		if (date instanceof java.sql.Time sqlTime) {
			return sqlTime.toLocalTime();
		}
		if (date instanceof java.sql.Timestamp timestamp) {
			return timestamp.toLocalDateTime();
		}
		return date.toInstant();
	}

	private static boolean isJsonType(String hint) {
		String type = hint.toLowerCase(Locale.ROOT);
		return type.equals("jsonb") || type.equals("json");
	}

	@Override
	public NullBind nullValue(@Nullable String hint) {
		return NullBind.UNTYPED;
	}

	@Override
	public Object readValue(Object value) {
		if (value instanceof Json json) {
			return this.json.isAvailable() ? this.json.read(json.asString()) : json.asString();
		}
		if (value instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		if (value instanceof Interval interval) {
			return interval(interval);
		}
		if (value instanceof Object[] array) {
			List<Object> list = new ArrayList<>(array.length);
			for (Object element : array) {
				list.add((element != null) ? readValue(element) : null);
			}
			return list;
		}
		return value;
	}

	// what the interval holds decides its Java type: a fixed length of time, a calendar amount, or both
	private static Object interval(Interval interval) {
		boolean calendar = interval.getYears() != 0 || interval.getMonths() != 0;
		if (!calendar) {
			return interval.getDuration().plusDays(interval.getDays());
		}
		if (interval.getDuration().isZero()) {
			return interval.getPeriod();
		}
		return interval;
	}

	@Override
	public ConnectionFactoryOptions connectionOptions(NodeSettings settings) {
		ConnectionSettings connection = settings.connection();
		ConnectionFactoryOptions.Builder options = ConnectionOptions.of(settings, "postgresql",
				Set.of("postgresql", "postgres"));
		if (connection.sslMode() != null) {
			options.option(PostgresqlConnectionFactoryProvider.SSL_MODE, sslMode(connection.sslMode()));
			if ((connection.sslMode() == SslMode.VERIFY_CA || connection.sslMode() == SslMode.VERIFY_FULL)
					&& NETTY_CHECKS_HOST_NAMES) {
				options.option(PostgresqlConnectionFactoryProvider.SSL_CONTEXT_BUILDER_CUSTOMIZER,
						PostgresDialect::withoutJdkHostNameCheck);
			}
		}
		Map<String, String> session = new HashMap<>();
		connection.options().forEach((name, value) -> {
			Option<String> tlsFile = TLS_OPTIONS.get(name.replace("-", "").toLowerCase(Locale.ROOT));
			if (tlsFile != null) {
				options.option(tlsFile, value);
			}
			else {
				session.put(name, value);
			}
		});
		MultiHost.apply(connection, options);
		boolean transactionPooling = settings.pooler() == Pooler.TRANSACTION;
		if (transactionPooling) {
			TransactionPooling.checkSessionParameters(session.keySet());
		}
		else {
			// the lexer reads '...' as the SQL standard does: whatever a role or database default says, every
			// session starts that way (behind a transaction pooler the server's default, on since 9.1, applies)
			session.put("standard_conforming_strings", "on");
			options.option(PostgresqlConnectionFactoryProvider.OPTIONS, session);
			options.option(ConnectionFactoryOptions.STATEMENT_TIMEOUT, settings.timeout());
		}
		options.option(PostgresqlConnectionFactoryProvider.TCP_KEEPALIVE, true);
		ConnectionFactoryOptions built = options.build();
		ConnectionFactoryOptions.Builder defaults = built.mutate();
		if (transactionPooling) {
			// a URL's own statement cache or timeout would bring back the session state the proxy cannot keep
			TransactionPooling.checkUrlOptions(built);
			defaults.option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES, 0);
		}
		else if (!built.hasOption(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES)) {
			defaults.option(PostgresqlConnectionFactoryProvider.PREPARED_STATEMENT_CACHE_QUERIES, PREPARED_STATEMENT_CACHE);
		}
		if (!built.hasOption(PostgresqlConnectionFactoryProvider.APPLICATION_NAME)) {
			defaults.option(PostgresqlConnectionFactoryProvider.APPLICATION_NAME, "asyncsql-" + settings.name());
		}
		return defaults.build();
	}

	// Netty 4.2 turns on the JDK's HTTPS host name check for every client context, but r2dbc-postgresql creates its
	// engine without a peer host: verify-ca then fails for any host given as an IP address ("Hostname or IP address
	// is undefined") and checks a host name it should not. The driver checks the host itself for verify-full.
	private static SslContextBuilder withoutJdkHostNameCheck(SslContextBuilder builder) {
		return builder.endpointIdentificationAlgorithm(null);
	}

	private static boolean hasMethod(Class<?> type, String name, Class<?>... parameterTypes) {
		try {
			type.getMethod(name, parameterTypes);
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static SSLMode sslMode(SslMode mode) {
		return switch (mode) {
			case DISABLE -> SSLMode.DISABLE;
			case ALLOW -> SSLMode.ALLOW;
			case PREFER -> SSLMode.PREFER;
			case REQUIRE -> SSLMode.REQUIRE;
			case VERIFY_CA -> SSLMode.VERIFY_CA;
			case VERIFY_FULL -> SSLMode.VERIFY_FULL;
		};
	}

	@Override
	public boolean isFailure(Result.Message message) {
		// notices and warnings (RAISE NOTICE, "relation already exists, skipping") come as messages too
		R2dbcException exception = message.exception();
		if (exception instanceof PostgresqlException postgres) {
			// the non-localized severity (PostgreSQL 9.6+) is the same in every server language
			String severity = postgres.getErrorDetails().getSeverityNonLocalized();
			return severity == null || FAILURE_SEVERITIES.contains(severity);
		}
		return true;
	}

	@Override
	public Mono<Void> cancelStatement(Connection connection) {
		PostgresqlConnection target = unwrap(connection);
		return (target != null) ? target.cancelRequest() : Mono.empty();
	}

	private static @Nullable PostgresqlConnection unwrap(Connection connection) {
		Object current = connection;
		for (int depth = 0; depth < 8 && current != null; depth++) {
			if (current instanceof PostgresqlConnection postgres) {
				return postgres;
			}
			current = (current instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

	@Override
	public Mono<Void> setStatementTimeout(Connection connection, Duration timeout) {
		return simple(connection, "SET statement_timeout = " + timeout.toMillis());
	}

	@Override
	public Mono<Void> resetStatementTimeout(Connection connection) {
		return simple(connection, "RESET statement_timeout");
	}

}
