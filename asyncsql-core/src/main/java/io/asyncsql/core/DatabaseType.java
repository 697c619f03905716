package io.asyncsql.core;

/**
 * The database products a node can talk to. The value decides the SQL dialect (lexing rules, bind markers,
 * parameter conversion, timeout and cancel mechanism, error classification) and which R2DBC driver is used.
 */
public enum DatabaseType {

	/** PostgreSQL through {@code org.postgresql:r2dbc-postgresql}. */
	POSTGRESQL("postgresql"),

	/** MySQL through the MariaDB R2DBC driver, which speaks the MySQL protocol. */
	MYSQL("mysql"),

	/** MariaDB through {@code org.mariadb:r2dbc-mariadb}. */
	MARIADB("mariadb"),

	/** Embedded H2 through {@code io.r2dbc:r2dbc-h2}, in memory or in a file. */
	H2("h2");

	private final String id;

	DatabaseType(String id) {
		this.id = id;
	}

	/**
	 * The lower-case identifier used in configuration, metrics and result maps (observations name H2 {@code h2database}).
	 * @return the identifier, for example {@code postgresql}
	 */
	public String id() {
		return this.id;
	}

}
