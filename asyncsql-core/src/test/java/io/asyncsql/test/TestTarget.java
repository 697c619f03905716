package io.asyncsql.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A database of its own for one test class: nodes made from {@link #node(String)} work in it, and
 * {@link #sql(String...)}, {@link #query(String)} and {@link #scalar(String)} reach it over a separate unpooled
 * connection, so assertions never go through the code under test. Closing it drops everything.
 */
public abstract class TestTarget implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final ConnectionFactory factory;

	protected TestTarget(ConnectionFactory factory) {
		this.factory = factory;
	}

	/** @return the database product */
	public abstract DatabaseType type();

	/**
	 * Settings for a node on this database, with a small pool and short waits.
	 * @param nodeName the node name
	 * @return a builder to adjust further
	 */
	public final NodeSettings.Builder node(String nodeName) {
		return node(nodeName, Map.of());
	}

	/**
	 * Settings for a node on this database with extra session options.
	 * @param nodeName the node name
	 * @param sessionOptions session parameters for every connection, such as a lock timeout
	 * @return a builder to adjust further
	 */
	public abstract NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions);

	/** @return session options that make a statement waiting for a row lock fail after about a second or less */
	public abstract Map<String, String> shortLockTimeout();

	/** The statement run before each statement of the helper connection, or {@code null}. */
	protected String sessionPrefix() {
		return null;
	}

	/**
	 * Runs statements on a separate connection.
	 * @param statements SQL statements
	 */
	public void sql(String... statements) {
		Mono.usingWhen(Mono.from(this.factory.create()), c -> prepare(c).thenMany(Flux.fromArray(statements)
			.concatMap(s -> Flux.from(c.createStatement(s).execute()).concatMap(r -> r.getRowsUpdated())))
			.then(), Connection::close).block(WAIT);
	}

	/**
	 * Reads rows on a separate connection.
	 * @param sql a query
	 * @return the rows as lists of column values
	 */
	public List<List<Object>> query(String sql) {
		return Mono.usingWhen(Mono.from(this.factory.create()), c -> prepare(c)
			.thenMany(Flux.from(c.createStatement(sql).execute()).concatMap(r -> r.map(TestTarget::values)))
			.collectList(), Connection::close).block(WAIT);
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

	/**
	 * The single numeric value of a query, as a long (drivers differ in the type of {@code count(*)}).
	 * @param sql a query
	 * @return the value
	 */
	public long count(String sql) {
		return ((Number) scalar(sql)).longValue();
	}

	private Mono<Void> prepare(Connection connection) {
		String prefix = sessionPrefix();
		return (prefix == null) ? Mono.empty()
				: Flux.from(connection.createStatement(prefix).execute()).concatMap(r -> r.getRowsUpdated()).then();
	}

	private static List<Object> values(Row row, RowMetadata metadata) {
		List<Object> values = new ArrayList<>();
		for (int i = 0; i < metadata.getColumnMetadatas().size(); i++) {
			values.add(row.get(i));
		}
		return values;
	}

	@Override
	public abstract void close();

}
