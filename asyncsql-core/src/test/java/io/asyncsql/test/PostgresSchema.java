package io.asyncsql.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Row;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A schema of its own for one test class on the PostgreSQL test server, dropped with everything in it on close.
 * Nodes made from {@link #node(String)} see it as their {@code search_path}. {@link #sql(String)} and
 * {@link #query(String)} use a separate, unpooled connection, so assertions never go through the code under test.
 */
public final class PostgresSchema implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final TestDatabase database;

	private final String name;

	private final ConnectionFactory factory;

	private PostgresSchema(TestDatabase database, String name) {
		this.database = database;
		this.name = name;
		this.factory = ConnectionFactories.get(database.url());
	}

	/**
	 * Creates a fresh schema.
	 * @param prefix a readable prefix, such as the test class
	 * @return the schema
	 */
	public static PostgresSchema create(String prefix) {
		String name = ("t_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL))
			.toLowerCase(Locale.ROOT);
		PostgresSchema schema = new PostgresSchema(TestDatabases.postgres(), name);
		schema.sql("CREATE SCHEMA " + name);
		return schema;
	}

	/** @return the schema name */
	public String name() {
		return this.name;
	}

	/** @return the server */
	public TestDatabase database() {
		return this.database;
	}

	/**
	 * Settings for a node on this schema, with a small pool and short waits.
	 * @param nodeName the node name
	 * @return a builder to adjust further
	 */
	public NodeSettings.Builder node(String nodeName) {
		return NodeSettings.builder(nodeName)
			.connection(this.database.connection(Map.of("search_path", this.name)))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5)).build());
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
		Map<String, String> all = new LinkedHashMap<>(options);
		all.put("search_path", this.name);
		return node(nodeName).connection(this.database.connection(host, port, all));
	}

	/**
	 * Runs statements in the schema on a separate connection.
	 * @param statements SQL statements
	 */
	public void sql(String... statements) {
		Mono.usingWhen(Mono.from(this.factory.create()), c -> Flux.fromArray(statements)
			.concatMap(s -> Flux.from(c.createStatement("SET search_path TO " + this.name + "; " + s).execute())
				.concatMap(r -> r.getRowsUpdated()))
			.then(), Connection::close).block(WAIT);
	}

	/**
	 * Reads rows in the schema on a separate connection.
	 * @param sql a query
	 * @return the rows as lists of column values
	 */
	public List<List<Object>> query(String sql) {
		return Mono.usingWhen(Mono.from(this.factory.create()),
				c -> Flux.from(c.createStatement("SET search_path TO " + this.name).execute())
					.concatMap(r -> r.getRowsUpdated())
					.thenMany(Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.map(PostgresSchema::values)))
					.collectList(),
				Connection::close)
			.block(WAIT);
	}

	/**
	 * The single value of a single-row, single-column query.
	 * @param sql a query
	 * @return the value
	 */
	public Object scalar(String sql) {
		List<List<Object>> rows = query(sql);
		if (rows.size() != 1 || rows.get(0).size() != 1) {
			throw new IllegalStateException("expected one value from " + sql + " but got " + rows);
		}
		return rows.get(0).get(0);
	}

	private static List<Object> values(Row row, io.r2dbc.spi.RowMetadata metadata) {
		List<Object> values = new ArrayList<>();
		for (int i = 0; i < metadata.getColumnMetadatas().size(); i++) {
			values.add(row.get(i));
		}
		return values;
	}

	@Override
	public void close() {
		sql("DROP SCHEMA " + this.name + " CASCADE");
	}

}
