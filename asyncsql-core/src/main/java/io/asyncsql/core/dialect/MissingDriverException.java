package io.asyncsql.core.dialect;

import io.asyncsql.core.DatabaseType;

/**
 * A node's database type needs an R2DBC driver that is not on the class path.
 */
public class MissingDriverException extends IllegalStateException {

	private final DatabaseType databaseType;

	private final String artifact;

	/**
	 * Creates the exception.
	 * @param databaseType the configured type
	 * @param artifact the driver's Maven coordinates
	 */
	public MissingDriverException(DatabaseType databaseType, String artifact) {
		super("database-type " + databaseType.id() + " needs the R2DBC driver " + artifact
				+ " on the class path; add it as a dependency");
		this.databaseType = databaseType;
		this.artifact = artifact;
	}

	/** @return the configured type */
	public DatabaseType databaseType() {
		return this.databaseType;
	}

	/** @return the driver's {@code groupId:artifactId} */
	public String artifact() {
		return this.artifact;
	}

}
