package io.asyncsql.core.dialect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.SslMode;
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
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * MySQL and MariaDB through r2dbc-mariadb (one driver for both products: it is maintained by MariaDB, speaks the
 * MySQL protocol, and Spring Boot manages its version).
 * <ul>
 * <li>Named parameters become {@code ?}, one per occurrence; collections expand in {@code IN (:list)}. There is
 * no array type: a collection anywhere else is refused with a message saying so.</li>
 * <li>Type hints are ignored (the products have no explicit parameter types).</li>
 * <li>Maps and JSON trees bind as JSON text; JSON columns read back as text (MariaDB stores JSON as text).</li>
 * <li>The node timeout is the session's {@code max_statement_time} (MariaDB, seconds) or
 * {@code max_execution_time} (MySQL, milliseconds, SELECT only); a client timer sends {@code KILL QUERY} for the
 * connection's thread from a separate connection as a backstop.</li>
 * <li>Sessions run with a pinned {@code sql_mode} (no {@code ANSI_QUOTES}, no {@code NO_BACKSLASH_ESCAPES}), the
 * lexical rules the lexer and validator assume, in UTC; the node's {@code options} are further session variables
 * (such as {@code innodb_lock_wait_timeout}), set once per connection.</li>
 * <li>Retry classification adds the vendor codes 1213 (deadlock), 1205 (lock wait timeout), 2006/2013/1927
 * (connection lost), 1053 (shutdown) and 1040/1203 (too many connections).</li>
 * </ul>
 */
final class MariaDbDialect extends BaseDialect {

	private static final SqlTemplateCache TEMPLATES = new SqlTemplateCache(new SqlLexer(SqlSyntax.MYSQL),
			SqlTemplateCache.DEFAULT_CAPACITY);

	private static final QueryValidator VALIDATOR = new QueryValidator(ValidationKeywords.MYSQL,
			QueryValidator.DEFAULT_CACHE_CAPACITY);

	private static final TransientFailureClassifier CLASSIFIER = new TransientFailureClassifier(Map.of(
			1213, TransientReason.DEADLOCK, 1205, TransientReason.LOCK_NOT_AVAILABLE, 2006, TransientReason.CONNECTION,
			2013, TransientReason.CONNECTION, 1927, TransientReason.CONNECTION, 1053, TransientReason.SHUTDOWN,
			1040, TransientReason.TOO_MANY_CONNECTIONS, 1203, TransientReason.TOO_MANY_CONNECTIONS));

	// MariaDB: 1969 statement timeout, 1317 query interrupted (KILL QUERY); MySQL: 3024 max_execution_time exceeded
	private static final Set<Integer> CANCELLATIONS = Set.of(1969, 1317, 3024);

	private static final String SQL_MODE = "'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

	private static final Option<String> SSL_MODE = Option.valueOf("sslMode");

	private static final Pattern SESSION_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

	private final DatabaseType type;

	private final @Nullable NodeSettings settings;

	// opened lazily to send KILL QUERY; unpooled, one short connection per cancel
	private volatile @Nullable ConnectionFactory cancelConnections;

	MariaDbDialect(DatabaseType type, JsonCodec json, @Nullable NodeSettings settings) {
		super(json, TEMPLATES, VALIDATOR, CLASSIFIER);
		this.type = type;
		this.settings = settings;
	}

	@Override
	public DatabaseType type() {
		return this.type;
	}

	@Override
	public boolean reusableMarkers() {
		return false;
	}

	@Override
	public String marker(int index) {
		return "?";
	}

	@Override
	public boolean supportsTypeHints() {
		return false;
	}

	@Override
	public void checkTypeHint(String hint) {
		// hints are ignored on this dialect, so any text is harmless
	}

	@Override
	public String castMarker(String marker, String hint) {
		return marker;
	}

	@Override
	public String emptyInList(boolean negated) {
		return negated ? "NOT IN (SELECT NULL FROM DUAL WHERE FALSE)" : "IN (SELECT NULL FROM DUAL WHERE FALSE)";
	}

	@Override
	public Object toBindValue(Object value, @Nullable String hint) {
		if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Boolean
				|| value instanceof BigDecimal || value instanceof Double || value instanceof Short
				|| value instanceof Float || value instanceof BigInteger || value instanceof Byte
				|| value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime
				|| value instanceof Duration || value instanceof byte[] || value instanceof ByteBuffer) {
			return value;
		}
		if (value instanceof UUID || value instanceof Character) {
			return value.toString();
		}
		if (value instanceof Enum<?> constant) {
			return constant.name();
		}
		// the products store no offsets: instants are written in UTC
		if (value instanceof Instant instant) {
			return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
		}
		if (value instanceof OffsetDateTime offset) {
			return offset.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
		}
		if (value instanceof ZonedDateTime zoned) {
			return zoned.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
		}
		if (value instanceof java.util.Date date) {
			return LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
		}
		if (ParameterBinder.isCollection(value)) {
			throw new IllegalArgumentException(this.type.id() + " has no array type: a collection can only be used as "
					+ "the whole list of IN (:list), which expands it");
		}
		if (value instanceof Map<?, ?> || this.json.isTree(value) || (hint != null && isJsonType(hint))) {
			return this.json.write(value);
		}
		throw new IllegalArgumentException("values of type " + value.getClass().getName() + " are not bound on "
				+ this.type.id() + "; convert it to a string, number or java.time value");
	}

	private static boolean isJsonType(String hint) {
		return hint.toLowerCase(Locale.ROOT).equals("json");
	}

	@Override
	public NullBind nullValue(@Nullable String hint) {
		// the server types a NULL from its use; the driver only needs a type it can encode
		return NullBind.STRING;
	}

	@Override
	public Object readValue(Object value) {
		if (value instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			return bytes;
		}
		return value;
	}

	@Override
	public ConnectionFactoryOptions connectionOptions(NodeSettings settings) {
		ConnectionFactoryOptions.Builder options = ConnectionOptions.of(settings, "mariadb", Set.of("mariadb", "mysql"));
		if (settings.connection().url() != null) {
			// r2dbc:mysql: URLs name this driver by its other name
			options.option(ConnectionFactoryOptions.DRIVER, "mariadb");
		}
		if (settings.connection().sslMode() != null) {
			options.option(SSL_MODE, sslMode(settings.connection().sslMode()));
		}
		return options.build();
	}

	@Override
	public ConnectionFactory createConnectionFactory(NodeSettings settings, ConnectionFactoryOptions options) {
		String session = sessionSetup(settings);
		return new InitializingConnectionFactory(ConnectionFactories.get(options), connection -> simple(connection, session));
	}

	// the lexical rules validation relies on, UTC (so instants written as UTC date-times read back as the same
	// instant), the node timeout enforced by the server, and the node's own session options
	private String sessionSetup(NodeSettings settings) {
		long millis = settings.timeout().toMillis();
		StringBuilder setup = new StringBuilder("SET SESSION sql_mode = ").append(SQL_MODE)
			.append(", time_zone = '+00:00', ")
			.append((this.type == DatabaseType.MYSQL) ? "max_execution_time = " + millis
					: "max_statement_time = " + (millis / 1000.0));
		settings.connection().options().forEach((name, value) -> setup.append(", ")
			.append(sessionVariable(name))
			.append(" = ")
			.append(NUMBER.matcher(value).matches() ? value : "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"));
		return setup.toString();
	}

	private static String sessionVariable(String name) {
		if (!SESSION_VARIABLE.matcher(name).matches()) {
			throw new IllegalArgumentException("option '" + name + "' is not a session variable name");
		}
		return name;
	}

	private static String sslMode(SslMode mode) {
		// the driver has no opportunistic TLS: allow and prefer connect in plain text
		return switch (mode) {
			case DISABLE, ALLOW, PREFER -> "disable";
			case REQUIRE -> "trust";
			case VERIFY_CA -> "verify-ca";
			case VERIFY_FULL -> "verify-full";
		};
	}

	@Override
	public Mono<Void> cancelStatement(Connection connection) {
		org.mariadb.r2dbc.api.MariadbConnection target = unwrap(connection);
		if (target == null || this.settings == null) {
			return Mono.empty();
		}
		long threadId = target.getThreadId();
		ConnectionFactory factory = this.cancelConnections;
		if (factory == null) {
			factory = createConnectionFactory(this.settings);
			this.cancelConnections = factory;
		}
		return Mono.usingWhen(Mono.from(factory.create()),
				c -> simple(c, "KILL QUERY " + threadId), Connection::close)
			.timeout(this.settings.pool().maxCreateConnectionTime());
	}

	private static org.mariadb.r2dbc.api.@Nullable MariadbConnection unwrap(Connection connection) {
		Object current = connection;
		for (int depth = 0; depth < 8 && current != null; depth++) {
			if (current instanceof org.mariadb.r2dbc.api.MariadbConnection mariadb) {
				return mariadb;
			}
			current = (current instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

	@Override
	public Mono<Void> setStatementTimeout(Connection connection, Duration timeout) {
		return Mono.from(connection.setStatementTimeout(timeout));
	}

	@Override
	public Mono<Void> resetStatementTimeout(Connection connection) {
		return (this.settings != null) ? Mono.from(connection.setStatementTimeout(this.settings.timeout())) : Mono.empty();
	}

	@Override
	public boolean isCancellation(@Nullable String sqlState, int vendorCode) {
		return CANCELLATIONS.contains(vendorCode);
	}

	@Override
	public String quoteIdentifier(String identifier) {
		return '`' + identifier.replace("`", "``") + '`';
	}

}
