package io.asyncsql.core.dialect;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.json.JsonCodec;

/**
 * Finds the dialect for a database type and checks that its driver is on the class path.
 */
public final class Dialects {

	private Dialects() {
	}

	/**
	 * The dialect for a database type.
	 * @param type the database type
	 * @param json the codec for JSON values
	 * @return the dialect
	 * @throws MissingDriverException when the type's R2DBC driver is not on the class path
	 */
	public static Dialect of(DatabaseType type, JsonCodec json) {
		String artifact = driverArtifact(type);
		if (!isPresent(driverClass(type))) {
			throw new MissingDriverException(type, artifact);
		}
		return switch (type) {
			case POSTGRESQL -> new PostgresDialect(json);
			default -> throw new UnsupportedOperationException("database-type " + type.id() + " is not supported yet");
		};
	}

	/**
	 * The Maven coordinates of the R2DBC driver a database type needs.
	 * @param type the database type
	 * @return {@code groupId:artifactId}
	 */
	public static String driverArtifact(DatabaseType type) {
		return switch (type) {
			case POSTGRESQL -> "org.postgresql:r2dbc-postgresql";
			case MYSQL, MARIADB -> "org.mariadb:r2dbc-mariadb";
			case H2 -> "io.r2dbc:r2dbc-h2";
		};
	}

	/**
	 * Whether the driver for a database type is on the class path.
	 * @param type the database type
	 * @return {@code true} when it is
	 */
	public static boolean isDriverPresent(DatabaseType type) {
		return isPresent(driverClass(type));
	}

	private static String driverClass(DatabaseType type) {
		return switch (type) {
			case POSTGRESQL -> "io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider";
			case MYSQL, MARIADB -> "org.mariadb.r2dbc.MariadbConnectionFactoryProvider";
			case H2 -> "io.r2dbc.h2.H2ConnectionFactoryProvider";
		};
	}

	private static boolean isPresent(String className) {
		try {
			Class.forName(className, false, Dialects.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
