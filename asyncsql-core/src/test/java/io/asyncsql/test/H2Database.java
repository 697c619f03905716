package io.asyncsql.test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * An in-memory H2 database of its own for one test class, with the settings asyncsql's H2 dialect uses; dropped on
 * close. No server needed.
 */
public final class H2Database extends TestTarget {

	private static final AtomicInteger counter = new AtomicInteger();

	private final String name;

	private H2Database(String name) {
		super(ConnectionFactories.get(ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "h2")
			.option(ConnectionFactoryOptions.PROTOCOL, "mem")
			.option(ConnectionFactoryOptions.DATABASE, name)
			.option(ConnectionFactoryOptions.USER, "sa")
			.option(ConnectionFactoryOptions.PASSWORD, "")
			.option(io.r2dbc.spi.Option.valueOf("options"),
					"DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")
			.build()));
		this.name = name;
	}

	/**
	 * Creates a fresh database.
	 * @param prefix a readable prefix, such as the test class
	 * @return the database
	 */
	public static H2Database create(String prefix) {
		return new H2Database("t_" + prefix + "_" + counter.incrementAndGet());
	}

	/** @return the in-memory database's name */
	public String name() {
		return this.name;
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.H2;
	}

	@Override
	public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
		return NodeSettings.builder(nodeName)
			.connection(new ConnectionSettings(DatabaseType.H2, null, null, null, this.name, null, null, null,
					sessionOptions))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5)).build());
	}

	@Override
	public Map<String, String> shortLockTimeout() {
		return Map.of("LOCK_TIMEOUT", "300");
	}

	@Override
	public void close() {
		sql("DROP ALL OBJECTS");
	}

}
