package io.asyncsql.test;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * A database of its own for one test class on the MariaDB test server, dropped on close.
 */
public final class MariaDbSchema extends TestTarget {

	private final TestDatabase server;

	private final String name;

	private MariaDbSchema(TestDatabase server, String name) {
		super(ConnectionFactories.get(ConnectionFactoryOptions.parse(server.url()).mutate()
			.option(ConnectionFactoryOptions.DATABASE, name).build()));
		this.server = server;
		this.name = name;
	}

	/**
	 * Creates a fresh database.
	 * @param prefix a readable prefix, such as the test class
	 * @return the database
	 */
	public static MariaDbSchema create(String prefix) {
		TestDatabase server = TestDatabases.mariadb();
		String name = ("t_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL))
			.toLowerCase(Locale.ROOT);
		new ServerConnection(server).sql("CREATE DATABASE " + name);
		return new MariaDbSchema(server, name);
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.MARIADB;
	}

	@Override
	public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
		return NodeSettings.builder(nodeName)
			.connection(new ConnectionSettings(DatabaseType.MARIADB, null, this.server.host(), this.server.port(),
					this.name, this.server.username(), this.server.password(), null, sessionOptions))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5)).build());
	}

	@Override
	public Map<String, String> shortLockTimeout() {
		return Map.of("innodb_lock_wait_timeout", "1");
	}

	@Override
	public void close() {
		new ServerConnection(this.server).sql("DROP DATABASE " + this.name);
	}

	/** Statements on the server outside any test database. */
	private static final class ServerConnection extends TestTarget {

		ServerConnection(TestDatabase server) {
			super(ConnectionFactories.get(server.url()));
		}

		@Override
		public DatabaseType type() {
			return DatabaseType.MARIADB;
		}

		@Override
		public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Map<String, String> shortLockTimeout() {
			return Map.of();
		}

		@Override
		public void close() {
		}

	}

}
