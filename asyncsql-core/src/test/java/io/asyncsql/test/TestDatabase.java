package io.asyncsql.test;

import java.util.Map;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * A database server the tests run against.
 *
 * @param type the database product
 * @param url the R2DBC URL, credentials included
 */
public record TestDatabase(DatabaseType type, String url) {

	/** @return the URL's parts */
	public ConnectionFactoryOptions options() {
		return ConnectionFactoryOptions.parse(this.url);
	}

	/** @return the host */
	public String host() {
		return (String) options().getRequiredValue(ConnectionFactoryOptions.HOST);
	}

	/** @return the port */
	public int port() {
		Object port = options().getValue(ConnectionFactoryOptions.PORT);
		return (port != null) ? Integer.parseInt(port.toString()) : (this.type == DatabaseType.POSTGRESQL ? 5432 : 3306);
	}

	/** @return the database name */
	public String database() {
		return (String) options().getRequiredValue(ConnectionFactoryOptions.DATABASE);
	}

	/** @return the user */
	public String username() {
		return (String) options().getRequiredValue(ConnectionFactoryOptions.USER);
	}

	/** @return the password, or {@code null} */
	public String password() {
		Object password = options().getValue(ConnectionFactoryOptions.PASSWORD);
		return (password != null) ? password.toString() : null;
	}

	/**
	 * Connection settings for this server.
	 * @param driverOptions driver options, such as a PostgreSQL {@code search_path}
	 * @return the settings
	 */
	public ConnectionSettings connection(Map<String, String> driverOptions) {
		return connection(host(), port(), driverOptions);
	}

	/**
	 * Connection settings for this server's database and credentials reached at another address, such as a
	 * {@link TcpProxy} in front of it or a port nothing listens on.
	 * @param host the host to connect to
	 * @param port the port to connect to
	 * @param driverOptions driver options, such as a PostgreSQL {@code search_path}
	 * @return the settings
	 */
	public ConnectionSettings connection(String host, int port, Map<String, String> driverOptions) {
		return new ConnectionSettings(this.type, null, host, port, database(), username(), password(), null,
				driverOptions);
	}

}
