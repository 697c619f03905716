package io.asyncsql.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Where a node's database is and how to reach it: either an R2DBC {@code url} or {@code host}/{@code port}/
 * {@code database}, plus credentials, SSL mode and driver options. Values given beside a {@code url} override the
 * URL's own.
 * <p>
 * The password is never part of {@link #toString()} or {@link #target()}; it does take part in
 * {@link #equals(Object)} so that two nodes only share a pool when they authenticate the same way.
 *
 * @param databaseType the database product
 * @param url an R2DBC URL such as {@code r2dbc:postgresql://app@db:5432/orders}, or {@code null}
 * @param host the server host, or {@code null} when {@code url} is given (or for embedded H2)
 * @param port the server port, or {@code null} for the product's default
 * @param database the database name (for H2 a name for an in-memory database or a file path), or {@code null}
 * @param username the user, or {@code null}
 * @param password the password, or {@code null}
 * @param sslMode the transport security, or {@code null} for the driver's default
 * @param options further driver options (for PostgreSQL also session parameters such as {@code search_path})
 * @param hosts PostgreSQL only: several servers as {@code host:port} (or {@code host} for the default port), of
 * which the node uses the primary, failing over when another becomes primary; empty for one server ({@code host})
 */
public record ConnectionSettings(DatabaseType databaseType, @Nullable String url, @Nullable String host,
		@Nullable Integer port, @Nullable String database, @Nullable String username, @Nullable String password,
		@Nullable SslMode sslMode, Map<String, String> options, List<String> hosts) {

	private static final Pattern HOST_AND_PORT = Pattern.compile("[A-Za-z0-9._-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when neither a url nor the host and database are given (H2 needs neither),
	 * the port is out of range, or {@code hosts} is combined with {@code host} or {@code url}, holds a malformed entry
	 * or is given for another product than PostgreSQL
	 */
	public ConnectionSettings {
		Objects.requireNonNull(databaseType, "databaseType");
		options = (options != null) ? Map.copyOf(options) : Map.of();
		hosts = (hosts != null) ? List.copyOf(hosts) : List.of();
		url = blankToNull(url);
		host = blankToNull(host);
		database = blankToNull(database);
		if (port != null && (port < 1 || port > 65535)) {
			throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
		}
		if (!hosts.isEmpty()) {
			checkHosts(databaseType, url, host, hosts);
			host = null;
		}
		if (url == null && databaseType != DatabaseType.H2) {
			if (host == null && hosts.isEmpty()) {
				throw new IllegalArgumentException("host is required when no url is given");
			}
			if (database == null) {
				throw new IllegalArgumentException("database is required when no url is given");
			}
		}
	}

	/**
	 * Settings without {@code hosts}.
	 * @param databaseType the database product
	 * @param url an R2DBC URL, or {@code null}
	 * @param host the server host, or {@code null}
	 * @param port the server port, or {@code null}
	 * @param database the database name, or {@code null}
	 * @param username the user, or {@code null}
	 * @param password the password, or {@code null}
	 * @param sslMode the transport security, or {@code null}
	 * @param options further driver options
	 */
	public ConnectionSettings(DatabaseType databaseType, @Nullable String url, @Nullable String host,
			@Nullable Integer port, @Nullable String database, @Nullable String username, @Nullable String password,
			@Nullable SslMode sslMode, Map<String, String> options) {
		this(databaseType, url, host, port, database, username, password, sslMode, options, List.of());
	}

	private static void checkHosts(DatabaseType type, @Nullable String url, @Nullable String host, List<String> hosts) {
		if (type != DatabaseType.POSTGRESQL) {
			throw new IllegalArgumentException("hosts (several servers with failover) is for PostgreSQL, but the "
					+ "database-type is " + type.id());
		}
		if (url != null || host != null) {
			throw new IllegalArgumentException("hosts replaces host and url: give the servers either as hosts, or as "
					+ "a multi-host url such as r2dbc:postgresql://db1:5432,db2:5432/app");
		}
		for (String entry : hosts) {
			if (entry == null || !HOST_AND_PORT.matcher(entry).matches()) {
				throw new IllegalArgumentException("hosts entry '" + entry + "' is not host or host:port");
			}
			int colon = entry.lastIndexOf(':');
			if (colon > entry.lastIndexOf(']')) {
				int entryPort = Integer.parseInt(entry.substring(colon + 1));
				if (entryPort < 1 || entryPort > 65535) {
					throw new IllegalArgumentException("hosts entry '" + entry + "' has a port outside 1-65535");
				}
			}
		}
	}

	/**
	 * Settings for several PostgreSQL servers, of which the node uses the primary.
	 * @param hosts {@code host:port} entries
	 * @param database the database name
	 * @param username the user
	 * @param password the password, or {@code null}
	 * @return the settings
	 */
	public static ConnectionSettings ofHosts(List<String> hosts, String database, @Nullable String username,
			@Nullable String password) {
		return new ConnectionSettings(DatabaseType.POSTGRESQL, null, null, null, database, username, password, null,
				Map.of(), hosts);
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

	/**
	 * Settings for a server reached by host and database name.
	 * @param type the database product
	 * @param host the host
	 * @param port the port, or {@code null} for the default
	 * @param database the database name
	 * @param username the user
	 * @param password the password, or {@code null}
	 * @return the settings
	 */
	public static ConnectionSettings of(DatabaseType type, String host, @Nullable Integer port, String database,
			@Nullable String username, @Nullable String password) {
		return new ConnectionSettings(type, null, host, port, database, username, password, null, Map.of());
	}

	/**
	 * Settings from an R2DBC URL.
	 * @param type the database product
	 * @param url the URL
	 * @return the settings
	 */
	public static ConnectionSettings ofUrl(DatabaseType type, String url) {
		return new ConnectionSettings(type, url, null, null, null, null, null, null, Map.of());
	}

	/**
	 * A copy with other driver options.
	 * @param options the options, replacing the current ones
	 * @return the copy
	 */
	public ConnectionSettings withOptions(Map<String, String> options) {
		return new ConnectionSettings(this.databaseType, this.url, this.host, this.port, this.database,
				this.username, this.password, this.sslMode, options, this.hosts);
	}

	/**
	 * A copy with another SSL mode.
	 * @param sslMode the mode
	 * @return the copy
	 */
	public ConnectionSettings withSslMode(@Nullable SslMode sslMode) {
		return new ConnectionSettings(this.databaseType, this.url, this.host, this.port, this.database,
				this.username, this.password, sslMode, this.options, this.hosts);
	}

	/**
	 * A copy with other credentials.
	 * @param username the user
	 * @param password the password
	 * @return the copy
	 */
	public ConnectionSettings withCredentials(@Nullable String username, @Nullable String password) {
		return new ConnectionSettings(this.databaseType, this.url, this.host, this.port, this.database, username,
				password, this.sslMode, this.options, this.hosts);
	}

	/**
	 * A description of the target that is safe to log or show: the URL without any password, or
	 * {@code type://user@host:port/database}.
	 * @return the description
	 */
	public String target() {
		if (this.url != null) {
			return SecretMasking.maskUrl(this.url);
		}
		StringBuilder target = new StringBuilder(this.databaseType.id()).append("://");
		if (this.username != null) {
			target.append(this.username).append('@');
		}
		target.append(!this.hosts.isEmpty() ? String.join(",", this.hosts) : (this.host != null) ? this.host : "embedded");
		if (this.port != null && this.hosts.isEmpty()) {
			target.append(':').append(this.port);
		}
		if (this.database != null) {
			target.append('/').append(this.database);
		}
		return target.toString();
	}

	@Override
	public String toString() {
		return "ConnectionSettings[target=" + target() + ", sslMode=" + this.sslMode + ", password="
				+ ((this.password != null) ? "******" : "<none>") + ", options=" + this.options.keySet() + "]";
	}

}
