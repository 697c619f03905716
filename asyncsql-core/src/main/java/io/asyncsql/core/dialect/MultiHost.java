package io.asyncsql.core.dialect;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.asyncsql.core.ConnectionSettings;
import io.r2dbc.postgresql.MultiHostConnectionStrategy.TargetServerType;
import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Several PostgreSQL servers behind one node: r2dbc-postgresql's failover protocol, asked for the primary. Each
 * new connection goes to the first server that accepts it and is not in recovery (read-write), so after a
 * promotion new connections reach the new primary; a server's role is remembered for {@link #HOST_RECHECK} only,
 * which bounds how long a promoted standby is still taken for one.
 */
final class MultiHost {

	/** How long a server's role (primary, standby, down) is trusted before it is asked again. */
	static final Duration HOST_RECHECK = Duration.ofSeconds(1);

	private static final int DEFAULT_PORT = 5432;

	private MultiHost() {
	}

	/**
	 * Switches the options to failover over the node's servers when it has several: {@code hosts}, or a URL
	 * naming several hosts ({@code r2dbc:postgresql://db1:5432,db2:5432/app}).
	 * @param connection the node's connection settings
	 * @param options the options so far (from the URL or the host)
	 */
	static void apply(ConnectionSettings connection, ConnectionFactoryOptions.Builder options) {
		String hosts = hosts(connection, options.build());
		if (hosts == null) {
			return;
		}
		options.option(ConnectionFactoryOptions.PROTOCOL, "failover");
		options.option(ConnectionFactoryOptions.HOST, hosts);
		ConnectionFactoryOptions built = options.build();
		if (!built.hasOption(PostgresqlConnectionFactoryProvider.TARGET_SERVER_TYPE)) {
			options.option(PostgresqlConnectionFactoryProvider.TARGET_SERVER_TYPE, TargetServerType.PRIMARY);
		}
		if (!built.hasOption(PostgresqlConnectionFactoryProvider.HOST_RECHECK_TIME)) {
			options.option(PostgresqlConnectionFactoryProvider.HOST_RECHECK_TIME, HOST_RECHECK);
		}
	}

	private static String hosts(ConnectionSettings connection, ConnectionFactoryOptions options) {
		int port = (connection.port() != null) ? connection.port() : DEFAULT_PORT;
		if (!connection.hosts().isEmpty()) {
			List<String> entries = new ArrayList<>();
			for (String entry : connection.hosts()) {
				boolean hasPort = entry.lastIndexOf(':') > entry.lastIndexOf(']');
				entries.add(hasPort ? entry : entry + ":" + port);
			}
			return String.join(",", entries);
		}
		Object host = options.getValue(ConnectionFactoryOptions.HOST);
		return (host != null && host.toString().contains(",")) ? host.toString() : null;
	}

}
