package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.Pooler;
import io.asyncsql.core.ReadRouting;
import io.asyncsql.core.SslMode;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.locking.ConflictResolution;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of asyncsql nodes ({@code asyncsql.*}). Each entry of {@code asyncsql.nodes} becomes an
 * {@code AsyncSqlNode} bean named after its key. Values left unset on a node come from {@code asyncsql.defaults}
 * (nested {@code retry} and {@code pool} settings are merged key by key), then from the library defaults.
 */
@ConfigurationProperties("asyncsql")
public class AsyncSqlProperties {

	/**
	 * Whether asyncsql configures nodes at all.
	 */
	private boolean enabled = true;

	/**
	 * Settings every node inherits unless it sets its own.
	 */
	@NestedConfigurationProperty
	private NodeOptions defaults = new NodeOptions();

	/**
	 * Nodes by name. The name becomes the bean name and the {@code node} metric tag.
	 */
	private Map<String, Node> nodes = new LinkedHashMap<>();

	/**
	 * Optimistic locking settings.
	 */
	@NestedConfigurationProperty
	private Locking locking = new Locking();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public NodeOptions getDefaults() {
		return this.defaults;
	}

	public void setDefaults(NodeOptions defaults) {
		this.defaults = defaults;
	}

	public Map<String, Node> getNodes() {
		return this.nodes;
	}

	public void setNodes(Map<String, Node> nodes) {
		this.nodes = nodes;
	}

	public Locking getLocking() {
		return this.locking;
	}

	public void setLocking(Locking locking) {
		this.locking = locking;
	}

	/**
	 * How a node runs statements; shared by {@code asyncsql.defaults} and each node. Unset values are
	 * {@code null} so that a node's own value can be told apart from an inherited one.
	 */
	public static class NodeOptions {

		/**
		 * How calls relate to transactions: auto (each call its own transaction unless one is active), manual
		 * (join the active transaction or autocommit) or none (always autocommit). Default: auto.
		 */
		private @Nullable TransactionMode transactionMode;

		/**
		 * Whether statements are validated before they are sent. Default: true.
		 */
		private @Nullable Boolean validateQueries;

		/**
		 * Whether DDL and other administrative statements pass validation. Dangerous functions are refused
		 * regardless. Default: false.
		 */
		private @Nullable Boolean allowAdmin;

		/**
		 * Statement timeout, enforced on the server and by a client-side backstop. Default: 30s.
		 */
		private @Nullable Duration timeout;

		/**
		 * How long a transaction may stay open before it is rolled back and its connection returned. Default: 60s.
		 */
		private @Nullable Duration transactionTimeout;

		/**
		 * Whether the node may share a pool with nodes of equal connection and pool settings. Default: true.
		 */
		private @Nullable Boolean sharePool;

		/**
		 * Longest accepted SQL text in characters. Default: 1000000.
		 */
		private @Nullable Integer maxSqlLength;

		/**
		 * Most bind values accepted for one statement. Default: 65535.
		 */
		private @Nullable Integer maxBindValues;

		/**
		 * Type hints by parameter name, for example metadata: jsonb. A node's hints are added to the defaults'.
		 */
		private Map<String, String> parameterTypes = new LinkedHashMap<>();

		/**
		 * Retry of transient failures.
		 */
		@NestedConfigurationProperty
		private Retry retry = new Retry();

		/**
		 * Connection pool settings.
		 */
		@NestedConfigurationProperty
		private Pool pool = new Pool();

		public @Nullable TransactionMode getTransactionMode() {
			return this.transactionMode;
		}

		public void setTransactionMode(@Nullable TransactionMode transactionMode) {
			this.transactionMode = transactionMode;
		}

		public @Nullable Boolean getValidateQueries() {
			return this.validateQueries;
		}

		public void setValidateQueries(@Nullable Boolean validateQueries) {
			this.validateQueries = validateQueries;
		}

		public @Nullable Boolean getAllowAdmin() {
			return this.allowAdmin;
		}

		public void setAllowAdmin(@Nullable Boolean allowAdmin) {
			this.allowAdmin = allowAdmin;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Duration getTransactionTimeout() {
			return this.transactionTimeout;
		}

		public void setTransactionTimeout(@Nullable Duration transactionTimeout) {
			this.transactionTimeout = transactionTimeout;
		}

		public @Nullable Boolean getSharePool() {
			return this.sharePool;
		}

		public void setSharePool(@Nullable Boolean sharePool) {
			this.sharePool = sharePool;
		}

		public @Nullable Integer getMaxSqlLength() {
			return this.maxSqlLength;
		}

		public void setMaxSqlLength(@Nullable Integer maxSqlLength) {
			this.maxSqlLength = maxSqlLength;
		}

		public @Nullable Integer getMaxBindValues() {
			return this.maxBindValues;
		}

		public void setMaxBindValues(@Nullable Integer maxBindValues) {
			this.maxBindValues = maxBindValues;
		}

		public Map<String, String> getParameterTypes() {
			return this.parameterTypes;
		}

		public void setParameterTypes(Map<String, String> parameterTypes) {
			this.parameterTypes = parameterTypes;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public void setRetry(Retry retry) {
			this.retry = retry;
		}

		public Pool getPool() {
			return this.pool;
		}

		public void setPool(Pool pool) {
			this.pool = pool;
		}

	}

	/**
	 * One node: where its database is, plus any {@link NodeOptions} of its own.
	 */
	public static class Node extends NodeOptions {

		/**
		 * The database product: postgresql, mysql, mariadb or h2.
		 */
		private @Nullable DatabaseType databaseType;

		/**
		 * An R2DBC URL, instead of host, port and database; for example r2dbc:postgresql://app@db:5432/orders.
		 */
		private @Nullable String url;

		/**
		 * The database server host.
		 */
		private @Nullable String host;

		/**
		 * The database server port. Default: the product's standard port.
		 */
		private @Nullable Integer port;

		/**
		 * The database name (for H2: a name for an in-memory database, or a file path such as ./data/app).
		 */
		private @Nullable String database;

		/**
		 * The user to log in as.
		 */
		private @Nullable String username;

		/**
		 * The password. Masked wherever configuration is shown.
		 */
		private @Nullable String password;

		/**
		 * Transport security, with PostgreSQL's modes: disable, allow, prefer, require, verify-ca, verify-full.
		 * Default: the driver's (prefer).
		 */
		private @Nullable SslMode sslMode;

		/**
		 * Whether this node is the primary one: injected without a qualifier, its pool is the application's
		 * ConnectionFactory and its transaction manager the primary one. A single node is primary by default.
		 */
		private boolean primary;

		/**
		 * Further driver options; for PostgreSQL also session parameters such as search_path.
		 */
		private Map<String, String> options = new LinkedHashMap<>();

		/**
		 * PostgreSQL servers as host:port, instead of host and port: the node uses the primary among them and, after a
		 * failover, finds the new primary by itself. Each server's role is rechecked every second.
		 */
		private List<String> hosts = new ArrayList<>();

		public List<String> getHosts() {
			return this.hosts;
		}

		public void setHosts(List<String> hosts) {
			this.hosts = hosts;
		}

		/**
		 * Name of an existing ConnectionFactory bean the node takes its connections from instead of connecting
		 * itself (url and host are then not needed, database-type is). An r2dbc-pool ConnectionPool is used as it
		 * is, sized and closed by the application; any other factory is pooled with the node's pool settings. The
		 * node's session settings (such as the server-side statement timeout) are then the factory's own.
		 */
		private @Nullable String connectionFactory;

		/**
		 * Read replicas (PostgreSQL streaming standbys), each with host and port or a url; database, username and
		 * password default to the node's.
		 */
		private List<Replica> replicas = new ArrayList<>();

		/**
		 * Where read-only statements outside transactions go: primary or replica. Default: replica when replicas are
		 * configured.
		 */
		private @Nullable ReadRouting readRouting;

		/**
		 * The largest replay lag a replica may have and still serve reads; a replica further behind is skipped until
		 * it catches up. Default: 5s.
		 */
		private @Nullable Duration maxReplicaLag;

		/**
		 * Whether a read after this node's own write goes to a replica only once the replica has replayed that write
		 * (else to the primary). Default: false.
		 */
		private boolean readYourWrites;

		public List<Replica> getReplicas() {
			return this.replicas;
		}

		public void setReplicas(List<Replica> replicas) {
			this.replicas = replicas;
		}

		public @Nullable ReadRouting getReadRouting() {
			return this.readRouting;
		}

		public void setReadRouting(@Nullable ReadRouting readRouting) {
			this.readRouting = readRouting;
		}

		public @Nullable Duration getMaxReplicaLag() {
			return this.maxReplicaLag;
		}

		public void setMaxReplicaLag(@Nullable Duration maxReplicaLag) {
			this.maxReplicaLag = maxReplicaLag;
		}

		public boolean isReadYourWrites() {
			return this.readYourWrites;
		}

		public void setReadYourWrites(boolean readYourWrites) {
			this.readYourWrites = readYourWrites;
		}

		/**
		 * The connection pooler between the node and its PostgreSQL server: none, or transaction for a
		 * transaction-pooling proxy such as PgBouncer with pool_mode = transaction (unnamed statements, no session
		 * parameters, statement timeouts by cancel request, session-state statements refused). Default: none.
		 */
		private @Nullable Pooler pooler;

		public @Nullable Pooler getPooler() {
			return this.pooler;
		}

		public void setPooler(@Nullable Pooler pooler) {
			this.pooler = pooler;
		}

		public @Nullable DatabaseType getDatabaseType() {
			return this.databaseType;
		}

		public void setDatabaseType(@Nullable DatabaseType databaseType) {
			this.databaseType = databaseType;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getDatabase() {
			return this.database;
		}

		public void setDatabase(@Nullable String database) {
			this.database = database;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable SslMode getSslMode() {
			return this.sslMode;
		}

		public void setSslMode(@Nullable SslMode sslMode) {
			this.sslMode = sslMode;
		}

		public boolean isPrimary() {
			return this.primary;
		}

		public void setPrimary(boolean primary) {
			this.primary = primary;
		}

		public Map<String, String> getOptions() {
			return this.options;
		}

		public @Nullable String getConnectionFactory() {
			return this.connectionFactory;
		}

		public void setConnectionFactory(@Nullable String connectionFactory) {
			this.connectionFactory = connectionFactory;
		}

		public void setOptions(Map<String, String> options) {
			this.options = options;
		}

	}

	/**
	 * Retry of transient failures. Delay n is min(initial-delay * exponential-base^n, max-delay), varied by
	 * +/-25% with jitter.
	 */
	/**
	 * One read replica of a node.
	 */
	public static class Replica {

		/**
		 * An R2DBC URL of the replica, instead of host and port.
		 */
		private @Nullable String url;

		/**
		 * The replica's host.
		 */
		private @Nullable String host;

		/**
		 * The replica's port. Default: the node's port, else 5432.
		 */
		private @Nullable Integer port;

		/**
		 * The database name. Default: the node's.
		 */
		private @Nullable String database;

		/**
		 * The user. Default: the node's, with its password.
		 */
		private @Nullable String username;

		/**
		 * The password. Masked wherever configuration is shown.
		 */
		private @Nullable String password;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable String getDatabase() {
			return this.database;
		}

		public void setDatabase(@Nullable String database) {
			this.database = database;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

	public static class Retry {

		/**
		 * Retries after the first attempt. Default: 3.
		 */
		private @Nullable Integer maxRetries;

		/**
		 * Delay before the first retry. Default: 100ms.
		 */
		private @Nullable Duration initialDelay;

		/**
		 * Upper bound of any delay. Default: 5s.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Growth factor between delays. Default: 2.0.
		 */
		private @Nullable Double exponentialBase;

		/**
		 * Whether delays vary by +/-25% to spread competing retries. Default: true.
		 */
		private @Nullable Boolean jitter;

		public @Nullable Integer getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(@Nullable Integer maxRetries) {
			this.maxRetries = maxRetries;
		}

		public @Nullable Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(@Nullable Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Double getExponentialBase() {
			return this.exponentialBase;
		}

		public void setExponentialBase(@Nullable Double exponentialBase) {
			this.exponentialBase = exponentialBase;
		}

		public @Nullable Boolean getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Boolean jitter) {
			this.jitter = jitter;
		}

	}

	/**
	 * Connection pool settings. Every wait is bounded.
	 */
	public static class Pool {

		/**
		 * Connections opened when the pool starts. Default: 1.
		 */
		private @Nullable Integer initialSize;

		/**
		 * Most connections open at once. Default: 10.
		 */
		private @Nullable Integer maxSize;

		/**
		 * How long a connection may sit idle before it is closed. Default: 30m.
		 */
		private @Nullable Duration maxIdleTime;

		/**
		 * Age after which a connection is closed once released. Default: 60m.
		 */
		private @Nullable Duration maxLifeTime;

		/**
		 * How long a caller waits for a free connection. Default: 5s.
		 */
		private @Nullable Duration maxAcquireTime;

		/**
		 * How long validating a connection may take. Default: 2s.
		 */
		private @Nullable Duration maxValidationTime;

		/**
		 * How long opening a connection may take. Default: 10s.
		 */
		private @Nullable Duration maxCreateConnectionTime;

		public @Nullable Integer getInitialSize() {
			return this.initialSize;
		}

		public void setInitialSize(@Nullable Integer initialSize) {
			this.initialSize = initialSize;
		}

		public @Nullable Integer getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable Integer maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable Duration getMaxIdleTime() {
			return this.maxIdleTime;
		}

		public void setMaxIdleTime(@Nullable Duration maxIdleTime) {
			this.maxIdleTime = maxIdleTime;
		}

		public @Nullable Duration getMaxLifeTime() {
			return this.maxLifeTime;
		}

		public void setMaxLifeTime(@Nullable Duration maxLifeTime) {
			this.maxLifeTime = maxLifeTime;
		}

		public @Nullable Duration getMaxAcquireTime() {
			return this.maxAcquireTime;
		}

		public void setMaxAcquireTime(@Nullable Duration maxAcquireTime) {
			this.maxAcquireTime = maxAcquireTime;
		}

		public @Nullable Duration getMaxValidationTime() {
			return this.maxValidationTime;
		}

		public void setMaxValidationTime(@Nullable Duration maxValidationTime) {
			this.maxValidationTime = maxValidationTime;
		}

		public @Nullable Duration getMaxCreateConnectionTime() {
			return this.maxCreateConnectionTime;
		}

		public void setMaxCreateConnectionTime(@Nullable Duration maxCreateConnectionTime) {
			this.maxCreateConnectionTime = maxCreateConnectionTime;
		}

	}

	/**
	 * Optimistic locking settings.
	 */
	public static class Locking {

		/**
		 * Column holding the row version. Default: version.
		 */
		private String versionField = "version";

		/**
		 * Column holding the row id. Default: id.
		 */
		private String idField = "id";

		/**
		 * Attempts after the first for the retry strategy and the @OptimisticLocked aspect. Default: 3.
		 */
		private int maxRetries = 3;

		/**
		 * Delay before the first retry. Default: 100ms.
		 */
		private Duration retryDelay = Duration.ofMillis(100);

		/**
		 * Growth factor between retry delays. Default: 2.0.
		 */
		private double retryBackoffMultiplier = 2.0;

		/**
		 * Longest delay between two attempts, at least retry-delay: the exponential delays stop growing there.
		 * Default: 1s.
		 */
		private Duration maxRetryDelay = Duration.ofSeconds(1);

		/**
		 * Whether each retry delay is drawn at random between zero and the capped delay, so that writers that
		 * collided on a row do not retry in lock-step. Default: true.
		 */
		private boolean jitter = true;

		/**
		 * Strategy when the version changed: fail-fast, retry, merge or last-writer-wins. Default: retry.
		 */
		private ConflictResolution defaultConflictResolution = ConflictResolution.RETRY;

		/**
		 * How many recent conflicts are kept for analysis. Default: 1000.
		 */
		private int conflictHistorySize = 1000;

		/**
		 * Whether the @OptimisticLocked aspect is registered (needs AspectJ). Default: true.
		 */
		private boolean aspectEnabled = true;

		public String getVersionField() {
			return this.versionField;
		}

		public void setVersionField(String versionField) {
			this.versionField = versionField;
		}

		public String getIdField() {
			return this.idField;
		}

		public void setIdField(String idField) {
			this.idField = idField;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public double getRetryBackoffMultiplier() {
			return this.retryBackoffMultiplier;
		}

		public void setRetryBackoffMultiplier(double retryBackoffMultiplier) {
			this.retryBackoffMultiplier = retryBackoffMultiplier;
		}

		public Duration getMaxRetryDelay() {
			return this.maxRetryDelay;
		}

		public void setMaxRetryDelay(Duration maxRetryDelay) {
			this.maxRetryDelay = maxRetryDelay;
		}

		public boolean isJitter() {
			return this.jitter;
		}

		public void setJitter(boolean jitter) {
			this.jitter = jitter;
		}

		public ConflictResolution getDefaultConflictResolution() {
			return this.defaultConflictResolution;
		}

		public void setDefaultConflictResolution(ConflictResolution defaultConflictResolution) {
			this.defaultConflictResolution = defaultConflictResolution;
		}

		public int getConflictHistorySize() {
			return this.conflictHistorySize;
		}

		public void setConflictHistorySize(int conflictHistorySize) {
			this.conflictHistorySize = conflictHistorySize;
		}

		public boolean isAspectEnabled() {
			return this.aspectEnabled;
		}

		public void setAspectEnabled(boolean aspectEnabled) {
			this.aspectEnabled = aspectEnabled;
		}

	}

}
