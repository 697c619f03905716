package io.asyncsql.core.observation;

import java.util.Locale;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;

/**
 * The database a node's statements go to, as observations describe it: the product, the database name
 * ({@code db.namespace}) and the server ({@code server.address}, {@code server.port}). Never credentials.
 *
 * @param databaseType the product
 * @param namespace the database name, or {@code null} when the settings do not say
 * @param serverAddress the server host, or {@code null} for embedded H2
 * @param serverPort the server port (the product's default when not configured), or -1 without a server
 */
public record DatabaseEndpoint(DatabaseType databaseType, @Nullable String namespace, @Nullable String serverAddress,
		int serverPort) {

	/**
	 * Reads the endpoint from connection settings: host, port and database, or the same parts of the URL.
	 * @param settings the settings
	 * @return the endpoint
	 */
	public static DatabaseEndpoint of(ConnectionSettings settings) {
		String host = settings.host();
		Integer port = settings.port();
		String database = settings.database();
		if (settings.url() != null) {
			try {
				ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(settings.url());
				host = (host != null) ? host : text(options.getValue(ConnectionFactoryOptions.HOST));
				port = (port != null) ? port : number(options.getValue(ConnectionFactoryOptions.PORT));
				database = (database != null) ? database : text(options.getValue(ConnectionFactoryOptions.DATABASE));
			}
			catch (RuntimeException ex) {
				// the driver reports a malformed URL when it connects; observations just go without the parts
			}
		}
		if (settings.databaseType() == DatabaseType.H2 && (host == null || isH2Mode(host))) {
			// embedded: r2dbc:h2:mem:///name puts "mem" where a host would be
			return new DatabaseEndpoint(settings.databaseType(), database, null, -1);
		}
		int resolvedPort = (port != null) ? port : (host != null) ? defaultPort(settings.databaseType()) : -1;
		return new DatabaseEndpoint(settings.databaseType(), database, host, resolvedPort);
	}

	/**
	 * The product as OpenTelemetry names it ({@code db.system.name}): {@code postgresql}, {@code mariadb},
	 * {@code mysql}, {@code h2database}.
	 * @return the name
	 */
	public String systemName() {
		return (this.databaseType == DatabaseType.H2) ? "h2database" : this.databaseType.id();
	}

	/**
	 * The address of the server as a URI without credentials, such as {@code postgresql://db:5432}, for
	 * {@code SenderContext#setRemoteServiceAddress}.
	 * @return the address, or {@code null} without a server
	 */
	public @Nullable String remoteServiceAddress() {
		if (this.serverAddress == null) {
			return null;
		}
		String host = (this.serverAddress.indexOf(':') >= 0 && !this.serverAddress.startsWith("["))
				? "[" + this.serverAddress + "]" : this.serverAddress;
		return this.databaseType.id() + "://" + host + ((this.serverPort > 0) ? ":" + this.serverPort : "");
	}

	private static boolean isH2Mode(String host) {
		String mode = host.toLowerCase(Locale.ROOT);
		return mode.equals("mem") || mode.equals("file");
	}

	private static int defaultPort(DatabaseType type) {
		return switch (type) {
			case POSTGRESQL -> 5432;
			case MYSQL, MARIADB -> 3306;
			case H2 -> 9092;
		};
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	private static @Nullable Integer number(@Nullable Object value) {
		if (value instanceof Integer number) {
			return number;
		}
		if (value != null) {
			try {
				return Integer.valueOf(value.toString());
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		return null;
	}

}
