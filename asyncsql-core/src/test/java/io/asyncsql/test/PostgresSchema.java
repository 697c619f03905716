package io.asyncsql.test;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.r2dbc.spi.ConnectionFactories;

/**
 * A schema of its own for one test class on the PostgreSQL test server, dropped with everything in it on close.
 * Nodes made from {@link #node(String)} see it as their {@code search_path}.
 */
public final class PostgresSchema extends TestTarget {

	private final TestDatabase database;

	private final String name;

	private PostgresSchema(TestDatabase database, String name) {
		super(ConnectionFactories.get(database.url()));
		this.database = database;
		this.name = name;
	}

	/**
	 * Creates a fresh schema.
	 * @param prefix a readable prefix, such as the test class
	 * @return the schema
	 */
	public static PostgresSchema create(String prefix) {
		return create(TestDatabases.postgres(), prefix);
	}

	/**
	 * Creates a fresh schema on another PostgreSQL server, such as a {@link DisposablePostgres} cluster.
	 * @param database the server
	 * @param prefix a readable prefix, such as the test class
	 * @return the schema
	 */
	public static PostgresSchema create(TestDatabase database, String prefix) {
		String name = freshName(prefix);
		PostgresSchema schema = new PostgresSchema(database, name);
		schema.sql("CREATE SCHEMA " + name);
		return schema;
	}

	/**
	 * A schema name no other test uses.
	 * @param prefix a readable prefix
	 * @return {@code t_<prefix>_<random hex>}, lower case
	 */
	static String freshName(String prefix) {
		return ("t_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL))
			.toLowerCase(Locale.ROOT);
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.POSTGRESQL;
	}

	/** @return the schema name */
	public String name() {
		return this.name;
	}

	/** @return the server */
	public TestDatabase database() {
		return this.database;
	}

	@Override
	public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
		Map<String, String> options = new HashMap<>(sessionOptions);
		options.put("search_path", this.name);
		return NodeSettings.builder(nodeName)
			.connection(this.database.connection(options))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(java.time.Duration.ofSeconds(5)).build());
	}

	/**
	 * Settings for a node on this schema that connects through another address (a {@link TcpProxy}, or a port
	 * nothing listens on), with extra driver options such as {@code lock_timeout}.
	 * @param nodeName the node name
	 * @param host the host to connect to
	 * @param port the port to connect to
	 * @param options extra driver (session) options
	 * @return a builder to adjust further
	 */
	public NodeSettings.Builder node(String nodeName, String host, int port, Map<String, String> options) {
		Map<String, String> all = new HashMap<>(options);
		all.put("search_path", this.name);
		return node(nodeName).connection(this.database.connection(host, port, all));
	}

	@Override
	public Map<String, String> shortLockTimeout() {
		return Map.of("lock_timeout", "300ms");
	}

	@Override
	protected String sessionPrefix() {
		return "SET search_path TO " + this.name;
	}

	@Override
	public void close() {
		sql("DROP SCHEMA " + this.name + " CASCADE");
	}

}
