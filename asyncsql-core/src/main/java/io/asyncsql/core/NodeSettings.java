package io.asyncsql.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything that configures one node: its name, where its database is, and how it runs statements. Immutable;
 * build with {@link #builder(String)}.
 *
 * @param name the node name: letters, digits, {@code _}, {@code -} and {@code .}; used as bean name and metric tag
 * @param connection where the database is
 * @param transactionMode how calls relate to transactions; default {@link TransactionMode#AUTO}
 * @param validateQueries whether statements are validated before they are sent; default {@code true}
 * @param allowAdmin whether DDL and other administrative statements pass validation; default {@code false}
 * @param timeout statement timeout, enforced on the server and by a client-side backstop; default 30 s, at most
 * {@link Query#MAX_TIMEOUT}
 * @param retry retry of transient failures; default {@link RetryConfig#DEFAULT}
 * @param pool pool settings; default {@link PoolSettings#DEFAULT}
 * @param sharePool whether the node may share a pool with nodes of equal connection and pool settings;
 * default {@code true}
 * @param parameterTypes type hints by parameter name (for example {@code metadata -> jsonb}); default none
 * @param transactionTimeout how long a transaction from {@link AsyncSqlNode#beginTransaction()} or
 * {@link AsyncSqlNode#inTransaction} may stay open before it is rolled back and its connection returned;
 * default 60 s, at most {@link Query#MAX_TIMEOUT}
 * @param maxSqlLength longest accepted SQL text in characters; longer text is refused before the database;
 * default 1,000,000
 * @param maxBindValues most bind values accepted for one statement (PostgreSQL's protocol limit is 65,535);
 * default 65,535
 * @param pooler the connection pooler between the node and its server; default {@link Pooler#NONE};
 * {@link Pooler#TRANSACTION} needs PostgreSQL
 * @param readReplicas read replicas and how reads use them; default {@link ReadReplicas#NONE}; PostgreSQL only
 */
public record NodeSettings(String name, ConnectionSettings connection, TransactionMode transactionMode,
		boolean validateQueries, boolean allowAdmin, Duration timeout, RetryConfig retry, PoolSettings pool,
		boolean sharePool, Map<String, String> parameterTypes, Duration transactionTimeout, int maxSqlLength,
		int maxBindValues, Pooler pooler, ReadReplicas readReplicas) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

	/** Default statement timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	/** Default transaction timeout. */
	public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

	/** Default longest SQL text. */
	public static final int DEFAULT_MAX_SQL_LENGTH = 1_000_000;

	/** Default most bind values per statement. */
	public static final int DEFAULT_MAX_BIND_VALUES = 65_535;

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when a value is out of range; the message names the setting
	 * @throws NullPointerException when a required value is missing
	 */
	public NodeSettings {
		Objects.requireNonNull(name, "name");
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("node name '" + name
					+ "' is not valid: use letters, digits, '_', '-' and '.', starting with a letter, digit or '_'");
		}
		Objects.requireNonNull(connection, "connection");
		Objects.requireNonNull(transactionMode, "transactionMode");
		Objects.requireNonNull(retry, "retry");
		Objects.requireNonNull(pool, "pool");
		requirePositive("timeout", timeout);
		requirePositive("transaction-timeout", transactionTimeout);
		if (maxSqlLength < 1) {
			throw new IllegalArgumentException("max-sql-length must be >= 1 but was " + maxSqlLength);
		}
		if (maxBindValues < 0) {
			throw new IllegalArgumentException("max-bind-values must be >= 0 but was " + maxBindValues);
		}
		parameterTypes = (parameterTypes != null) ? Map.copyOf(parameterTypes) : Map.of();
		Objects.requireNonNull(pooler, "pooler");
		Objects.requireNonNull(readReplicas, "readReplicas");
		if (!readReplicas.replicas().isEmpty() && connection.databaseType() != DatabaseType.POSTGRESQL) {
			throw new IllegalArgumentException("replicas are PostgreSQL streaming standbys, but the node's database-type "
					+ "is " + connection.databaseType().id());
		}
		if (pooler == Pooler.TRANSACTION && connection.databaseType() != DatabaseType.POSTGRESQL) {
			throw new IllegalArgumentException("pooler transaction is for PostgreSQL behind a transaction-pooling proxy "
					+ "such as PgBouncer, but the node's database-type is " + connection.databaseType().id());
		}
	}

	private static void requirePositive(String name, Duration value) {
		Objects.requireNonNull(value, name);
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive but was " + value);
		}
		// drivers and timers count in int milliseconds: a longer wait would overflow, not wait longer
		if (value.compareTo(Query.MAX_TIMEOUT) > 0) {
			throw new IllegalArgumentException(name + " must be at most " + Query.MAX_TIMEOUT + " but was " + value);
		}
	}

	/**
	 * The node's database product.
	 * @return the type of {@link #connection()}
	 */
	public DatabaseType databaseType() {
		return this.connection.databaseType();
	}

	/**
	 * A builder with every default.
	 * @param name the node name
	 * @return a new builder
	 */
	public static Builder builder(String name) {
		return new Builder(name);
	}

	/**
	 * A builder starting from these settings.
	 * @return a new builder
	 */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** Builds {@link NodeSettings}. Only the name and the connection are required. */
	public static final class Builder {

		private String name;

		private ConnectionSettings connection;

		private TransactionMode transactionMode = TransactionMode.AUTO;

		private boolean validateQueries = true;

		private boolean allowAdmin;

		private Duration timeout = DEFAULT_TIMEOUT;

		private RetryConfig retry = RetryConfig.DEFAULT;

		private PoolSettings pool = PoolSettings.DEFAULT;

		private boolean sharePool = true;

		private Map<String, String> parameterTypes = Map.of();

		private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;

		private int maxSqlLength = DEFAULT_MAX_SQL_LENGTH;

		private int maxBindValues = DEFAULT_MAX_BIND_VALUES;

		private Pooler pooler = Pooler.NONE;

		private java.util.List<ConnectionSettings> replicas = java.util.List.of();

		private @org.jspecify.annotations.Nullable ReadRouting readRouting;

		private Duration maxReplicaLag = ReadReplicas.DEFAULT_MAX_LAG;

		private boolean readYourWrites;

		private Builder(String name) {
			this.name = name;
		}

		private Builder(NodeSettings from) {
			this.name = from.name;
			this.connection = from.connection;
			this.transactionMode = from.transactionMode;
			this.validateQueries = from.validateQueries;
			this.allowAdmin = from.allowAdmin;
			this.timeout = from.timeout;
			this.retry = from.retry;
			this.pool = from.pool;
			this.sharePool = from.sharePool;
			this.parameterTypes = from.parameterTypes;
			this.transactionTimeout = from.transactionTimeout;
			this.maxSqlLength = from.maxSqlLength;
			this.maxBindValues = from.maxBindValues;
			this.pooler = from.pooler;
			this.replicas = from.readReplicas.replicas();
			this.readRouting = from.readReplicas.replicas().isEmpty() ? null : from.readReplicas.routing();
			this.maxReplicaLag = from.readReplicas.maxLag();
			this.readYourWrites = from.readReplicas.readYourWrites();
		}

		public Builder name(String name) {
			this.name = name;
			return this;
		}

		public Builder connection(ConnectionSettings connection) {
			this.connection = connection;
			return this;
		}

		public Builder transactionMode(TransactionMode transactionMode) {
			this.transactionMode = transactionMode;
			return this;
		}

		public Builder validateQueries(boolean validateQueries) {
			this.validateQueries = validateQueries;
			return this;
		}

		public Builder allowAdmin(boolean allowAdmin) {
			this.allowAdmin = allowAdmin;
			return this;
		}

		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		public Builder retry(RetryConfig retry) {
			this.retry = retry;
			return this;
		}

		public Builder pool(PoolSettings pool) {
			this.pool = pool;
			return this;
		}

		public Builder sharePool(boolean sharePool) {
			this.sharePool = sharePool;
			return this;
		}

		public Builder parameterTypes(Map<String, String> parameterTypes) {
			this.parameterTypes = parameterTypes;
			return this;
		}

		public Builder transactionTimeout(Duration transactionTimeout) {
			this.transactionTimeout = transactionTimeout;
			return this;
		}

		public Builder maxSqlLength(int maxSqlLength) {
			this.maxSqlLength = maxSqlLength;
			return this;
		}

		public Builder maxBindValues(int maxBindValues) {
			this.maxBindValues = maxBindValues;
			return this;
		}

		/**
		 * Sets the connection pooler between the node and its server.
		 * @param pooler {@link Pooler#TRANSACTION} behind PgBouncer in transaction mode; default {@link Pooler#NONE}
		 * @return this builder
		 */
		public Builder pooler(Pooler pooler) {
			this.pooler = pooler;
			return this;
		}

		/**
		 * Sets the read replicas (PostgreSQL streaming standbys).
		 * @param replicas the replicas; default none
		 * @return this builder
		 */
		public Builder replicas(java.util.List<ConnectionSettings> replicas) {
			this.replicas = replicas;
			return this;
		}

		/**
		 * Sets where reads go.
		 * @param readRouting default {@link ReadRouting#REPLICA} when replicas are set, else {@link ReadRouting#PRIMARY}
		 * @return this builder
		 */
		public Builder readRouting(ReadRouting readRouting) {
			this.readRouting = readRouting;
			return this;
		}

		/**
		 * Sets the largest replay lag a replica may have and still serve reads.
		 * @param maxReplicaLag default 5 s
		 * @return this builder
		 */
		public Builder maxReplicaLag(Duration maxReplicaLag) {
			this.maxReplicaLag = maxReplicaLag;
			return this;
		}

		/**
		 * Sets whether a read after this node's own write only goes to a replica that has replayed it.
		 * @param readYourWrites default {@code false}
		 * @return this builder
		 */
		public Builder readYourWrites(boolean readYourWrites) {
			this.readYourWrites = readYourWrites;
			return this;
		}

		/**
		 * Builds the settings.
		 * @return the settings
		 * @throws IllegalArgumentException when a value is out of range
		 * @throws NullPointerException when the connection is missing
		 */
		public NodeSettings build() {
			return new NodeSettings(this.name, this.connection, this.transactionMode, this.validateQueries,
					this.allowAdmin, this.timeout, this.retry, this.pool, this.sharePool, this.parameterTypes,
					this.transactionTimeout, this.maxSqlLength, this.maxBindValues, this.pooler, readReplicas());
		}

		private ReadReplicas readReplicas() {
			if ((this.replicas == null || this.replicas.isEmpty()) && !this.readYourWrites
					&& this.maxReplicaLag.equals(ReadReplicas.DEFAULT_MAX_LAG)) {
				return ReadReplicas.NONE;
			}
			java.util.List<ConnectionSettings> all = (this.replicas != null) ? this.replicas : java.util.List.of();
			ReadRouting routing = (this.readRouting != null) ? this.readRouting
					: all.isEmpty() ? ReadRouting.PRIMARY : ReadRouting.REPLICA;
			return new ReadReplicas(all, routing, this.maxReplicaLag, this.readYourWrites);
		}

	}

}
