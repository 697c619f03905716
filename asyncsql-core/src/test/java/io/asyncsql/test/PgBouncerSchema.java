package io.asyncsql.test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Pooler;
import io.r2dbc.spi.ConnectionFactories;

/**
 * A schema of its own on the PostgreSQL test server, reached by nodes through a {@link DisposablePgBouncer} in
 * transaction pooling mode. Sessions behind PgBouncer cannot be given a {@code search_path} by the client, so
 * PgBouncer sets it with a {@code connect_query}; a second alias ({@link #IMPATIENT}) also sets a short
 * {@code lock_timeout}, and nodes asking for {@link #shortLockTimeout()} connect to it. The helper methods of
 * {@link TestTarget} go to the server directly. Closing it stops PgBouncer and drops the schema.
 */
public final class PgBouncerSchema extends TestTarget {

	/** An alias with server sessions of its own, for experiments that may leave state on them. */
	public static final String SCRATCH = "scratch";

	/** The alias whose sessions have {@code lock_timeout = 300ms}. */
	public static final String IMPATIENT = "impatient";

	private static final String LOCK_TIMEOUT = "lock_timeout";

	private final TestDatabase database;

	private final String name;

	private final Pooler pooler;

	private DisposablePgBouncer bouncer;

	private PgBouncerSchema(TestDatabase database, String name, Pooler pooler) {
		super(ConnectionFactories.get(database.url()));
		this.database = database;
		this.name = name;
		this.pooler = pooler;
	}

	/**
	 * Creates a fresh schema and starts PgBouncer in front of it.
	 * @param prefix a readable prefix, such as the test class
	 * @param pooler what nodes from {@link #node(String)} are told about the proxy
	 * @return the schema
	 */
	public static PgBouncerSchema create(String prefix, Pooler pooler) {
		String name = PostgresSchema.freshName(prefix);
		TestDatabase server = TestDatabases.postgres();
		PgBouncerSchema schema = new PgBouncerSchema(server, name, pooler);
		schema.sql("CREATE SCHEMA " + name);
		try {
			schema.bouncer = DisposablePgBouncer.start(server, DisposablePgBouncer.Alias.of(
					server.database(), new DisposablePgBouncer.Alias(server.database(), "SET search_path TO " + name),
					IMPATIENT, new DisposablePgBouncer.Alias(server.database(),
							"SET search_path TO " + name + "; SET lock_timeout = 300"),
					SCRATCH, new DisposablePgBouncer.Alias(server.database(), "SET search_path TO " + name)));
		}
		catch (RuntimeException ex) {
			schema.sql("DROP SCHEMA " + name + " CASCADE");
			throw ex;
		}
		return schema;
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.POSTGRESQL;
	}

	/** @return the schema name */
	public String name() {
		return this.name;
	}

	/** @return the PgBouncer in front of the server */
	public DisposablePgBouncer bouncer() {
		return this.bouncer;
	}

	/**
	 * Connection settings through PgBouncer.
	 * @param alias the database alias
	 * @param options driver options
	 * @return the settings
	 */
	public ConnectionSettings connection(String alias, Map<String, String> options) {
		return new ConnectionSettings(DatabaseType.POSTGRESQL, null, "127.0.0.1", this.bouncer.port(), alias,
				this.database.username(), this.database.password(), null, options);
	}

	/**
	 * Settings for a node through PgBouncer. A {@code lock_timeout} option selects the {@link #IMPATIENT} alias,
	 * which sets it on the server sessions; other options are passed on to the node.
	 */
	@Override
	public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
		Map<String, String> options = new HashMap<>(sessionOptions);
		String alias = (options.remove(LOCK_TIMEOUT) != null) ? IMPATIENT : this.database.database();
		return NodeSettings.builder(nodeName)
			.connection(connection(alias, options))
			.pooler(this.pooler)
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(10)).build());
	}

	@Override
	public Map<String, String> shortLockTimeout() {
		return Map.of(LOCK_TIMEOUT, "300ms");
	}

	@Override
	protected String sessionPrefix() {
		return "SET search_path TO " + this.name;
	}

	@Override
	public void close() {
		try {
			if (this.bouncer != null) {
				this.bouncer.close();
			}
		}
		finally {
			sql("DROP SCHEMA " + this.name + " CASCADE");
		}
	}

}
