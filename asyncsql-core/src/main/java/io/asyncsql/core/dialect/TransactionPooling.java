package io.asyncsql.core.dialect;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;

/**
 * What a PostgreSQL connection behind a transaction-pooling proxy must not carry: session parameters sent at
 * connection start (the proxy refuses unknown startup parameters, and one it passed on would stay on a server
 * session that other clients share) and driver options that turn into such parameters.
 */
final class TransactionPooling {

	// driver options that r2dbc-postgresql sends as session parameters when the connection starts
	private static final List<Option<?>> SESSION_OPTIONS = List.of(ConnectionFactoryOptions.STATEMENT_TIMEOUT,
			ConnectionFactoryOptions.LOCK_WAIT_TIMEOUT, PostgresqlConnectionFactoryProvider.OPTIONS,
			PostgresqlConnectionFactoryProvider.SCHEMA, PostgresqlConnectionFactoryProvider.CURRENT_SCHEMA);

	private static final String FIX = "set it on the database role (ALTER ROLE ... SET ...), in the proxy "
			+ "(PgBouncer: connect_query in [databases]), or per transaction with SET LOCAL";

	private TransactionPooling() {
	}

	/**
	 * Refuses session parameters among the node's options.
	 * @param names the options that would be session parameters
	 * @throws IllegalArgumentException when there are any; the message names them and the fix
	 */
	static void checkSessionParameters(Set<String> names) {
		if (!names.isEmpty()) {
			throw new IllegalArgumentException("options " + new TreeSet<>(names) + " are session parameters, which "
					+ "pooler transaction cannot keep: a transaction-pooling proxy refuses them at connection start and "
					+ "runs the next transaction on any server session; " + FIX);
		}
	}

	/**
	 * Refuses URL options that become session parameters.
	 * @param options the parsed options
	 * @throws IllegalArgumentException naming the first such option
	 */
	static void checkUrlOptions(ConnectionFactoryOptions options) {
		for (Option<?> option : SESSION_OPTIONS) {
			if (options.hasOption(option)) {
				throw new IllegalArgumentException("url option " + option.name() + " sets a session parameter, which "
						+ "pooler transaction cannot keep (the node's timeout is enforced by a cancel request instead); "
						+ "remove it from the URL and " + FIX);
			}
		}
	}

}
