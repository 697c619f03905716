package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.asyncsql.autoconfigure.AsyncSqlProperties.Node;
import io.asyncsql.autoconfigure.AsyncSqlProperties.NodeOptions;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Pooler;
import io.asyncsql.core.ReadReplicas;
import io.asyncsql.core.ReadRouting;
import io.asyncsql.core.Query;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SecretMasking;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.dialect.PostgresTypeNames;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@code asyncsql.nodes.<name>} plus {@code asyncsql.defaults} into {@link NodeSettings}: a node's own value
 * wins, then the defaults', then the library's; {@code retry} and {@code pool} merge key by key and
 * {@code parameter-types} entry by entry. Every value is checked, and a bad one fails with an
 * {@link AsyncSqlConfigurationException} naming the property it came from and the fix.
 */
final class NodeSettingsResolver {

	private static final String DEFAULTS = "asyncsql.defaults.";

	private final NodeOptions defaults;

	NodeSettingsResolver(NodeOptions defaults) {
		this.defaults = defaults;
	}

	/**
	 * Resolves one node.
	 * @param name the node name
	 * @param node its properties
	 * @param connectionFallback where to connect when the node names no url or host (Spring Boot's
	 * {@code R2dbcConnectionDetails}, for example from {@code @ServiceConnection}), or {@code null}
	 * @return the settings
	 */
	NodeSettings resolve(String name, Node node, @Nullable ConnectionFactoryOptions connectionFallback) {
		String prefix = "asyncsql.nodes." + name + ".";
		if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*")) {
			throw new AsyncSqlConfigurationException("asyncsql.nodes." + name, "is not a valid node name",
					"Use letters, digits, '_', '-' and '.' for node names, starting with a letter, digit or '_'.");
		}
		ConnectionSettings connection = (node.getConnectionFactory() != null) ? external(prefix, node)
				: connection(prefix, node, connectionFallback);
		PoolSettings pool = pool(prefix, node);
		return NodeSettings.builder(name)
			.connection(connection)
			.transactionMode(pick(node.getTransactionMode(), this.defaults.getTransactionMode(), TransactionMode.AUTO))
			.validateQueries(pick(node.getValidateQueries(), this.defaults.getValidateQueries(), true))
			.allowAdmin(pick(node.getAllowAdmin(), this.defaults.getAllowAdmin(), false))
			.timeout(positive(prefix, "timeout", node.getTimeout(), this.defaults.getTimeout(), NodeSettings.DEFAULT_TIMEOUT))
			.transactionTimeout(positive(prefix, "transaction-timeout", node.getTransactionTimeout(),
					this.defaults.getTransactionTimeout(), NodeSettings.DEFAULT_TRANSACTION_TIMEOUT))
			// a node on the application's factory has a pool of its own
			.sharePool((node.getConnectionFactory() == null) && pick(node.getSharePool(), this.defaults.getSharePool(), true))
			.maxSqlLength(atLeast(prefix, "max-sql-length", node.getMaxSqlLength(), this.defaults.getMaxSqlLength(),
					NodeSettings.DEFAULT_MAX_SQL_LENGTH, 1))
			.maxBindValues(atLeast(prefix, "max-bind-values", node.getMaxBindValues(), this.defaults.getMaxBindValues(),
					NodeSettings.DEFAULT_MAX_BIND_VALUES, 0))
			.parameterTypes(parameterTypes(prefix, node, connection.databaseType()))
			.retry(retry(prefix, node))
			.pool(pool)
			.pooler(pooler(prefix, node, connection.databaseType()))
			.replicas(replicas(prefix, node, connection))
			.readYourWrites(node.isReadYourWrites())
			.readRouting((node.getReadRouting() != null) ? node.getReadRouting()
					: node.getReplicas().isEmpty() ? ReadRouting.PRIMARY : ReadRouting.REPLICA)
			.maxReplicaLag(positive(prefix, "max-replica-lag", node.getMaxReplicaLag(), null,
					ReadReplicas.DEFAULT_MAX_LAG))
			.build();
	}

	private ConnectionSettings connection(String prefix, Node node, @Nullable ConnectionFactoryOptions fallback) {
		// an H2 node is embedded: it always has its own target
		boolean hasTarget = node.getUrl() != null || node.getHost() != null || !node.getHosts().isEmpty()
				|| node.getDatabaseType() == DatabaseType.H2;
		if (!hasTarget && fallback != null) {
			return fromConnectionDetails(prefix, node, fallback);
		}
		if (node.getUrl() != null && !isR2dbcUrl(node.getUrl())) {
			throw new AsyncSqlConfigurationException(prefix + "url", "is not a valid R2DBC URL: "
					+ SecretMasking.maskUrl(node.getUrl()), "Write it as r2dbc:<driver>://<host>:<port>/<database>, "
							+ "for example r2dbc:postgresql://localhost:5432/app, with the password in " + prefix
							+ "password, or set host and database instead.");
		}
		if (node.getUrl() != null && node.getUrl().contains(":pool:")) {
			throw new AsyncSqlConfigurationException(prefix + "url", "uses r2dbc:pool:, but asyncsql pools connections "
					+ "itself", "Remove 'pool:' from the URL and configure the pool under " + prefix + "pool.");
		}
		DatabaseType type = databaseType(prefix, node);
		if (!Dialects.isDriverPresent(type)) {
			throw new AsyncSqlConfigurationException(prefix + "database-type", "is " + type.id()
					+ ", but its R2DBC driver is not on the class path",
					"Add the dependency " + Dialects.driverArtifact(type) + " to the application.");
		}
		if (type != DatabaseType.H2 && node.getUrl() == null) {
			if (node.getHost() == null && node.getHosts().isEmpty()) {
				throw new AsyncSqlConfigurationException(prefix + "host", "is missing",
						"Set " + prefix + "host (and " + prefix + "database), or give " + prefix + "url instead.");
			}
			if (node.getDatabase() == null) {
				throw new AsyncSqlConfigurationException(prefix + "database", "is missing",
						"Set " + prefix + "database, or give " + prefix + "url instead.");
			}
		}
		if (node.getPort() != null && (node.getPort() < 1 || node.getPort() > 65535)) {
			throw new AsyncSqlConfigurationException(prefix + "port", "must be between 1 and 65535 but was "
					+ node.getPort(), "Set " + prefix + "port to the database server's port.");
		}
		try {
			return new ConnectionSettings(type, node.getUrl(), node.getHost(), node.getPort(), node.getDatabase(),
					node.getUsername(), node.getPassword(), node.getSslMode(), node.getOptions(), node.getHosts());
		}
		catch (IllegalArgumentException ex) {
			if (node.getHosts().isEmpty()) {
				throw ex;
			}
			// ConnectionSettings checks the entries; its message says what is wrong with them
			throw new AsyncSqlConfigurationException(prefix + "hosts", "is not valid: " + ex.getMessage(),
					"Write each server as host:port (for example db1:5432), for a PostgreSQL node, without host or url.");
		}
	}

	// the target only describes the bean: connections come from it (see BootConnectionFactories)
	private static ConnectionSettings external(String prefix, Node node) {
		if (node.getDatabaseType() == null) {
			throw new AsyncSqlConfigurationException(prefix + "database-type", "is missing, but the node takes its "
					+ "connections from the bean '" + node.getConnectionFactory() + "'", "Set " + prefix
							+ "database-type to the database that connection factory connects to.");
		}
		String bean = node.getConnectionFactory();
		return new ConnectionSettings(node.getDatabaseType(), null, "bean." + bean, null, bean, node.getUsername(),
				null, null, node.getOptions());
	}

	private static ConnectionSettings fromConnectionDetails(String prefix, Node node, ConnectionFactoryOptions options) {
		Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
		DatabaseType type = (node.getDatabaseType() != null) ? node.getDatabaseType() : typeOfDriver(String.valueOf(driver));
		if (type == null) {
			throw new AsyncSqlConfigurationException(prefix + "database-type", "is missing and the connection details' "
					+ "driver '" + driver + "' is not one asyncsql supports", "Set " + prefix + "database-type.");
		}
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		Object user = options.getValue(ConnectionFactoryOptions.USER);
		Object password = options.getValue(ConnectionFactoryOptions.PASSWORD);
		return new ConnectionSettings(type, null, String.valueOf(options.getRequiredValue(ConnectionFactoryOptions.HOST)),
				(port != null) ? Integer.valueOf(port.toString()) : null,
				String.valueOf(options.getValue(ConnectionFactoryOptions.DATABASE)),
				(user != null) ? user.toString() : node.getUsername(),
				(password != null) ? password.toString() : node.getPassword(), node.getSslMode(), node.getOptions());
	}

	// the parser's own messages quote the URL with its password, so only whether it parses is kept
	private static boolean isR2dbcUrl(String url) {
		if (!url.startsWith("r2dbc:") && !url.startsWith("r2dbcs:")) {
			return false;
		}
		try {
			ConnectionFactoryOptions.parse(url);
			return true;
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			return false;
		}
	}

	private static DatabaseType databaseType(String prefix, Node node) {
		if (node.getDatabaseType() != null) {
			return node.getDatabaseType();
		}
		if (node.getUrl() != null) {
			String driver = node.getUrl().replaceFirst("^r2dbc:", "").replaceFirst(":.*$", "");
			DatabaseType type = typeOfDriver(driver);
			if (type != null) {
				return type;
			}
		}
		throw new AsyncSqlConfigurationException(prefix + "database-type", "is missing",
				"Set it to one of " + Arrays.stream(DatabaseType.values()).map(DatabaseType::id)
					.collect(Collectors.joining(", ")) + ".");
	}

	private static @Nullable DatabaseType typeOfDriver(String driver) {
		return switch (driver.toLowerCase(Locale.ROOT)) {
			case "postgresql", "postgres" -> DatabaseType.POSTGRESQL;
			case "mysql" -> DatabaseType.MYSQL;
			case "mariadb" -> DatabaseType.MARIADB;
			case "h2" -> DatabaseType.H2;
			default -> null;
		};
	}

	private Map<String, String> parameterTypes(String prefix, Node node, DatabaseType type) {
		Map<String, String> merged = new LinkedHashMap<>(this.defaults.getParameterTypes());
		merged.putAll(node.getParameterTypes());
		if (type == DatabaseType.POSTGRESQL) {
			merged.forEach((parameter, hint) -> {
				if (!PostgresTypeNames.isKnown(hint)) {
					String origin = node.getParameterTypes().containsKey(parameter) ? prefix : DEFAULTS;
					throw new AsyncSqlConfigurationException(origin + "parameter-types." + parameter,
							"is '" + hint + "', which is not a PostgreSQL type",
							"Use a built-in type name such as jsonb, uuid, timestamptz, numeric(10,2) or text[], or a "
									+ "schema-qualified custom type such as public.order_status.");
				}
			});
		}
		return merged;
	}

	private static List<ConnectionSettings> replicas(String prefix, Node node, ConnectionSettings primary) {
		List<ConnectionSettings> replicas = new ArrayList<>();
		for (int i = 0; i < node.getReplicas().size(); i++) {
			AsyncSqlProperties.Replica replica = node.getReplicas().get(i);
			String key = prefix + "replicas[" + i + "]";
			if (primary.databaseType() != DatabaseType.POSTGRESQL) {
				throw new AsyncSqlConfigurationException(prefix + "replicas", "are PostgreSQL streaming standbys, but "
						+ "the node's database-type is " + primary.databaseType().id(), "Remove " + prefix + "replicas.");
			}
			if (replica.getUrl() == null && replica.getHost() == null) {
				throw new AsyncSqlConfigurationException(key + ".host", "is missing",
						"Set " + key + ".host (and port), or " + key + ".url.");
			}
			if (replica.getUrl() != null && !isR2dbcUrl(replica.getUrl())) {
				throw new AsyncSqlConfigurationException(key + ".url", "is not a valid R2DBC URL: "
						+ SecretMasking.maskUrl(replica.getUrl()), "Write it as r2dbc:postgresql://<host>:<port>/<database>.");
			}
			Integer port = (replica.getPort() != null) ? replica.getPort() : primary.port();
			String database = (replica.getDatabase() != null) ? replica.getDatabase()
					: (replica.getUrl() == null) ? primary.database() : null;
			try {
				replicas.add(new ConnectionSettings(DatabaseType.POSTGRESQL, replica.getUrl(), replica.getHost(),
						(replica.getUrl() == null) ? port : replica.getPort(), database, replica.getUsername(),
						replica.getPassword(), primary.sslMode(), Map.of()));
			}
			catch (IllegalArgumentException ex) {
				throw new AsyncSqlConfigurationException(key, "is not valid: " + ex.getMessage(),
						"Give each replica a host and port or a url.");
			}
		}
		if (node.getReadRouting() != null && replicas.isEmpty() && node.getReadRouting() == ReadRouting.REPLICA) {
			throw new AsyncSqlConfigurationException(prefix + "read-routing", "is replica, but the node has no replicas",
					"Configure " + prefix + "replicas, or remove read-routing.");
		}
		return replicas;
	}

	private static Pooler pooler(String prefix, Node node, DatabaseType type) {
		Pooler pooler = (node.getPooler() != null) ? node.getPooler() : Pooler.NONE;
		if (pooler == Pooler.TRANSACTION && type != DatabaseType.POSTGRESQL) {
			throw new AsyncSqlConfigurationException(prefix + "pooler", "is transaction, which is for PostgreSQL behind "
					+ "a transaction-pooling proxy, but the node's database-type is " + type.id(),
					"Remove " + prefix + "pooler, or point the node at PostgreSQL.");
		}
		return pooler;
	}

	private RetryConfig retry(String prefix, Node node) {
		AsyncSqlProperties.Retry own = node.getRetry();
		AsyncSqlProperties.Retry inherited = this.defaults.getRetry();
		RetryConfig fallback = RetryConfig.DEFAULT;
		int maxRetries = atLeast(prefix, "retry.max-retries", own.getMaxRetries(), inherited.getMaxRetries(),
				fallback.maxRetries(), 0);
		Duration initialDelay = nonNegative(prefix, "retry.initial-delay", own.getInitialDelay(),
				inherited.getInitialDelay(), fallback.initialDelay());
		Duration maxDelay = nonNegative(prefix, "retry.max-delay", own.getMaxDelay(), inherited.getMaxDelay(),
				fallback.maxDelay());
		if (maxDelay.compareTo(initialDelay) < 0) {
			throw new AsyncSqlConfigurationException(prefix + "retry.max-delay", "(" + maxDelay
					+ ") is shorter than retry.initial-delay (" + initialDelay + ")",
					"Make " + prefix + "retry.max-delay at least as long as retry.initial-delay.");
		}
		double base = pick(own.getExponentialBase(), inherited.getExponentialBase(), fallback.exponentialBase());
		if (!(base >= 1.0) || Double.isInfinite(base)) {
			throw new AsyncSqlConfigurationException(origin(prefix, own.getExponentialBase()) + "retry.exponential-base",
					"must be a number >= 1 but was " + base, "Set it to 1.0 for fixed delays or more, such as 2.0.");
		}
		boolean jitter = pick(own.getJitter(), inherited.getJitter(), fallback.jitter());
		return new RetryConfig(maxRetries, initialDelay, maxDelay, base, jitter);
	}

	private PoolSettings pool(String prefix, Node node) {
		AsyncSqlProperties.Pool own = node.getPool();
		AsyncSqlProperties.Pool inherited = this.defaults.getPool();
		PoolSettings fallback = PoolSettings.DEFAULT;
		int initialSize = atLeast(prefix, "pool.initial-size", own.getInitialSize(), inherited.getInitialSize(),
				fallback.initialSize(), 0);
		int maxSize = atLeast(prefix, "pool.max-size", own.getMaxSize(), inherited.getMaxSize(), fallback.maxSize(), 1);
		if (maxSize < initialSize) {
			throw new AsyncSqlConfigurationException(origin(prefix, own.getMaxSize()) + "pool.max-size", "(" + maxSize
					+ ") is smaller than pool.initial-size (" + initialSize + ")",
					"Raise pool.max-size to at least pool.initial-size, or lower pool.initial-size.");
		}
		return new PoolSettings(initialSize, maxSize,
				positive(prefix, "pool.max-idle-time", own.getMaxIdleTime(), inherited.getMaxIdleTime(), fallback.maxIdleTime()),
				positive(prefix, "pool.max-life-time", own.getMaxLifeTime(), inherited.getMaxLifeTime(), fallback.maxLifeTime()),
				positive(prefix, "pool.max-acquire-time", own.getMaxAcquireTime(), inherited.getMaxAcquireTime(),
						fallback.maxAcquireTime()),
				positive(prefix, "pool.max-validation-time", own.getMaxValidationTime(), inherited.getMaxValidationTime(),
						fallback.maxValidationTime()),
				positive(prefix, "pool.max-create-connection-time", own.getMaxCreateConnectionTime(),
						inherited.getMaxCreateConnectionTime(), fallback.maxCreateConnectionTime()));
	}

	private static <T> T pick(@Nullable T own, @Nullable T inherited, T fallback) {
		return (own != null) ? own : (inherited != null) ? inherited : fallback;
	}

	private static String origin(String prefix, @Nullable Object own) {
		return (own != null) ? prefix : DEFAULTS;
	}

	private static Duration positive(String prefix, String key, @Nullable Duration own, @Nullable Duration inherited,
			Duration fallback) {
		Duration value = pick(own, inherited, fallback);
		if (value.isNegative() || value.isZero()) {
			throw new AsyncSqlConfigurationException(origin(prefix, own) + key, "must be a positive duration but was "
					+ value, "Set a positive duration such as 5s or 500ms.");
		}
		if (value.compareTo(Query.MAX_TIMEOUT) > 0) {
			throw new AsyncSqlConfigurationException(origin(prefix, own) + key, "must be at most " + Query.MAX_TIMEOUT
					+ " (about 24 days) but was " + value, "Set a shorter duration.");
		}
		return value;
	}

	private static Duration nonNegative(String prefix, String key, @Nullable Duration own, @Nullable Duration inherited,
			Duration fallback) {
		Duration value = pick(own, inherited, fallback);
		if (value.isNegative()) {
			throw new AsyncSqlConfigurationException(origin(prefix, own) + key, "must not be negative but was " + value,
					"Set a duration of zero or more, such as 100ms.");
		}
		return value;
	}

	private static int atLeast(String prefix, String key, @Nullable Integer own, @Nullable Integer inherited,
			int fallback, int minimum) {
		int value = pick(own, inherited, fallback);
		if (value < minimum) {
			throw new AsyncSqlConfigurationException(origin(prefix, own) + key, "must be >= " + minimum + " but was "
					+ value, "Set " + key + " to " + minimum + " or more.");
		}
		return value;
	}

}
