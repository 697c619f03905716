package io.asyncsql.core.resilience;

import java.time.Duration;

import io.asyncsql.test.TestDatabase;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A transaction held open on a connection of its own, outside any node: another client taking locks (or using
 * up a role's connection limit) while the node under test runs.
 */
final class OpenTransaction implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final Connection connection;

	private boolean ended;

	private OpenTransaction(Connection connection) {
		this.connection = connection;
	}

	/**
	 * Connects, begins a transaction and runs statements in it.
	 * @param database the server
	 * @param user the role to connect as, or {@code null} for the server's user
	 * @param schema the search path
	 * @param statements statements to run in the transaction, such as {@code SELECT ... FOR UPDATE}
	 * @return the open transaction
	 */
	static OpenTransaction begin(TestDatabase database, String user, String schema, String... statements) {
		ConnectionFactoryOptions.Builder options = database.options().mutate();
		if (user != null) {
			options.option(ConnectionFactoryOptions.USER, user);
		}
		Connection connection = Mono.from(ConnectionFactories.get(options.build()).create()).block(WAIT);
		OpenTransaction transaction = new OpenTransaction(connection);
		transaction.run("SET search_path TO " + schema);
		Mono.from(connection.beginTransaction()).block(WAIT);
		for (String statement : statements) {
			transaction.run(statement);
		}
		return transaction;
	}

	void run(String sql) {
		Flux.from(this.connection.createStatement(sql).execute()).concatMap(result -> result.getRowsUpdated())
			.then()
			.block(WAIT);
	}

	/** Rolls back and disconnects. Idempotent. */
	@Override
	public void close() {
		if (this.ended) {
			return;
		}
		this.ended = true;
		Mono.from(this.connection.rollbackTransaction()).onErrorResume(error -> Mono.empty())
			.then(Mono.from(this.connection.close()))
			.block(WAIT);
	}

}
