package io.asyncsql.core.dialect;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.json.JsonCodec;
import org.jspecify.annotations.Nullable;

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
		return create(type, json, null);
	}

	/**
	 * The dialect for a node: like {@link #of(DatabaseType, JsonCodec)}, and also able to reset the node's session
	 * timeout and to open side connections where cancelling a statement needs one (MySQL, MariaDB).
	 * @param settings the node settings
	 * @param json the codec for JSON values
	 * @return the dialect
	 * @throws MissingDriverException when the type's R2DBC driver is not on the class path
	 */
	public static Dialect of(NodeSettings settings, JsonCodec json) {
		return create(settings.databaseType(), json, settings);
	}

	private static Dialect create(DatabaseType type, JsonCodec json, @Nullable NodeSettings settings) {
		if (!isPresent(driverClass(type))) {
			throw new MissingDriverException(type, driverArtifact(type));
		}
		return switch (type) {
			case POSTGRESQL -> new PostgresDialect(json);
			case MYSQL, MARIADB -> new MariaDbDialect(type, json, settings);
			case H2 -> new H2Dialect(json, settings);
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
