package io.asyncsql.benchmarks.load;

import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * The PostgreSQL server the harness measures against, read from an R2DBC URL
 * ({@code r2dbc:postgresql://user[:password]@host[:port]/database}) so that every client connects to the same
 * place with the same credentials.
 *
 * @param host the host
 * @param port the port
 * @param database the database
 * @param user the user
 * @param password the password, empty for none
 */
record Target(String host, int port, String database, String user, String password) {

	/**
	 * Parses an R2DBC PostgreSQL URL.
	 * @param url the URL
	 * @return the target
	 * @throws IllegalArgumentException when the URL is not a PostgreSQL R2DBC URL or misses host or database
	 */
	static Target parse(String url) {
		ConnectionFactoryOptions options;
		try {
			options = ConnectionFactoryOptions.parse(url);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("--url must be an R2DBC URL such as "
					+ "r2dbc:postgresql://postgres@127.0.0.1:5432/test: " + ex.getMessage(), ex);
		}
		Object driver = options.getValue(ConnectionFactoryOptions.DRIVER);
		if (!"postgresql".equals(driver) && !"postgres".equals(driver)) {
			throw new IllegalArgumentException("--url must use the postgresql driver (r2dbc:postgresql://...)");
		}
		Object host = options.getValue(ConnectionFactoryOptions.HOST);
		Object database = options.getValue(ConnectionFactoryOptions.DATABASE);
		if (host == null || database == null) {
			throw new IllegalArgumentException("--url must name a host and a database: r2dbc:postgresql://user@host:port/db");
		}
		Object port = options.getValue(ConnectionFactoryOptions.PORT);
		Object user = options.getValue(ConnectionFactoryOptions.USER);
		Object password = options.getValue(ConnectionFactoryOptions.PASSWORD);
		return new Target(host.toString(), (port != null) ? Integer.parseInt(port.toString()) : 5432,
				database.toString(), (user != null) ? user.toString() : "postgres",
				(password != null) ? password.toString() : "");
	}

	/** @return the pgjdbc URL, without credentials */
	String jdbcUrl() {
		return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + this.database;
	}

	/** @return the target without the password, for reports */
	String describe() {
		return this.user + "@" + this.host + ":" + this.port + "/" + this.database;
	}

	@Override
	public String toString() {
		return "Target[" + describe() + "]";
	}

}
