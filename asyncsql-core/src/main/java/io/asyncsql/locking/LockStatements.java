package io.asyncsql.locking;

import java.util.Collection;

import io.asyncsql.core.DatabaseType;

/**
 * The SQL the lock manager writes. Table and column names come from code and configuration, never from request
 * data, but they are still checked against a strict identifier pattern and quoted for the dialect, so they can
 * never carry SQL. Values are always bound: {@code :lock_id}, {@code :lock_expected} and {@code :c_<column>}.
 */
final class LockStatements {

	static final String ID = "lock_id";

	static final String EXPECTED = "lock_expected";

	static final String CHANGE_PREFIX = "c_";

	private final DatabaseType type;

	private final String table;

	private final String idColumn;

	private final String versionColumn;

	LockStatements(DatabaseType type, String table, String idColumn, String versionColumn) {
		this.type = type;
		this.table = qualifiedName(type, table);
		this.idColumn = quote(type, "id column", idColumn);
		this.versionColumn = quote(type, "version column", versionColumn);
	}

	/** @return whether one UPDATE can return the updated row */
	boolean returnsRows() {
		return this.type == DatabaseType.POSTGRESQL;
	}

	String select() {
		return "SELECT * FROM " + this.table + " WHERE " + this.idColumn + " = :" + ID;
	}

	/**
	 * An update of the given columns that bumps the version.
	 * @param columns the changed columns (checked)
	 * @param checkVersion whether to update only at the expected version
	 * @return the statement
	 */
	String update(Collection<String> columns, boolean checkVersion) {
		StringBuilder sql = new StringBuilder("UPDATE ").append(this.table).append(" SET ");
		for (String column : columns) {
			sql.append(quote(this.type, "column", column)).append(" = :").append(CHANGE_PREFIX).append(column).append(", ");
		}
		sql.append(this.versionColumn).append(" = ").append(this.versionColumn).append(" + 1 WHERE ")
			.append(this.idColumn).append(" = :").append(ID);
		if (checkVersion) {
			sql.append(" AND ").append(this.versionColumn).append(" = :").append(EXPECTED);
		}
		if (returnsRows()) {
			sql.append(" RETURNING *");
		}
		return sql.toString();
	}

	private static String qualifiedName(DatabaseType type, String name) {
		int dot = (name != null) ? name.indexOf('.') : -1;
		if (dot < 0) {
			return quote(type, "table", name);
		}
		return quote(type, "schema", name.substring(0, dot)) + "." + quote(type, "table", name.substring(dot + 1));
	}

	static String quote(DatabaseType type, String what, String identifier) {
		LockingSettings.requireIdentifier(what, identifier);
		return (type == DatabaseType.MYSQL || type == DatabaseType.MARIADB) ? "`" + identifier + "`"
				: "\"" + identifier + "\"";
	}

}
