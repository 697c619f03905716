package io.asyncsql.core;

import java.util.Map;
import java.util.Objects;

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
 */
public record ConnectionSettings(DatabaseType databaseType, @Nullable String url, @Nullable String host,
		@Nullable Integer port, @Nullable String database, @Nullable String username, @Nullable String password,
		@Nullable SslMode sslMode, Map<String, String> options) {

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when neither a url nor the host and database are given (H2 needs neither)
	 * or the port is out of range
	 */
	public ConnectionSettings {
		Objects.requireNonNull(databaseType, "databaseType");
		options = (options != null) ? Map.copyOf(options) : Map.of();
		url = blankToNull(url);
		host = blankToNull(host);
		database = blankToNull(database);
		if (port != null && (port < 1 || port > 65535)) {
			throw new IllegalArgumentException("port must be between 1 and 65535 but was " + port);
		}
		if (url == null && databaseType != DatabaseType.H2) {
			if (host == null) {
				throw new IllegalArgumentException("host is required when no url is given");
			}
			if (database == null) {
				throw new IllegalArgumentException("database is required when no url is given");
			}
		}
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
				this.username, this.password, this.sslMode, options);
	}

	/**
	 * A copy with another SSL mode.
	 * @param sslMode the mode
	 * @return the copy
	 */
	public ConnectionSettings withSslMode(@Nullable SslMode sslMode) {
		return new ConnectionSettings(this.databaseType, this.url, this.host, this.port, this.database,
				this.username, this.password, sslMode, this.options);
	}

	/**
	 * A copy with other credentials.
	 * @param username the user
	 * @param password the password
	 * @return the copy
	 */
	public ConnectionSettings withCredentials(@Nullable String username, @Nullable String password) {
		return new ConnectionSettings(this.databaseType, this.url, this.host, this.port, this.database, username,
				password, this.sslMode, this.options);
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
		target.append((this.host != null) ? this.host : "embedded");
		if (this.port != null) {
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
