package io.asyncsql.core.dialect;

import java.util.Set;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.SecretMasking;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * The R2DBC options every dialect starts from: the node's URL (checked to name one of the dialect's drivers) or
 * host, port and database, then credentials and the connect timeout, with values given beside a URL winning over
 * the URL's own.
 */
final class ConnectionOptions {

	private ConnectionOptions() {
	}

	/**
	 * The base options of a node.
	 * @param settings the node settings
	 * @param driver the driver name to use when no URL is given
	 * @param acceptedDrivers driver names a URL may name
	 * @return a builder with the base options set
	 * @throws IllegalArgumentException when the URL is malformed or names another driver (or a pooling one); the
	 * message shows the URL with its password masked
	 */
	static ConnectionFactoryOptions.Builder of(NodeSettings settings, String driver, Set<String> acceptedDrivers) {
		ConnectionSettings connection = settings.connection();
		ConnectionFactoryOptions.Builder options;
		if (connection.url() != null) {
			ConnectionFactoryOptions parsed = parse(connection.url());
			Object urlDriver = parsed.getValue(ConnectionFactoryOptions.DRIVER);
			if (!acceptedDrivers.contains(String.valueOf(urlDriver))) {
				throw new IllegalArgumentException("url must be an r2dbc:" + driver + ": URL for database-type "
						+ settings.databaseType().id() + " (pooling is configured by the pool settings, not by r2dbc:pool:)");
			}
			options = parsed.mutate();
		}
		else {
			options = ConnectionFactoryOptions.builder().option(ConnectionFactoryOptions.DRIVER, driver);
			if (connection.host() != null) {
				options.option(ConnectionFactoryOptions.HOST, connection.host());
			}
		}
		if (connection.port() != null) {
			options.option(ConnectionFactoryOptions.PORT, connection.port());
		}
		if (connection.database() != null) {
			options.option(ConnectionFactoryOptions.DATABASE, connection.database());
		}
		if (connection.username() != null) {
			options.option(ConnectionFactoryOptions.USER, connection.username());
		}
		if (connection.password() != null) {
			options.option(ConnectionFactoryOptions.PASSWORD, connection.password());
		}
		options.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, settings.pool().maxCreateConnectionTime());
		return options;
	}

	// R2DBC's parser quotes the whole URL, password included, in its messages: neither they nor it go any further
	private static ConnectionFactoryOptions parse(String url) {
		try {
			return ConnectionFactoryOptions.parse(url);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new IllegalArgumentException("url " + SecretMasking.maskUrl(url) + " is not a valid R2DBC URL: it "
					+ "must look like r2dbc:<driver>://<host>:<port>/<database>, with the password set apart from the URL");
		}
	}

}
