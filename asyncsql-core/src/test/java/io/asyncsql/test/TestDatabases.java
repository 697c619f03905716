package io.asyncsql.test;

import java.util.concurrent.ConcurrentHashMap;

import io.asyncsql.core.DatabaseType;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds the servers tests run against: the URL in {@code ASYNCSQL_TEST_POSTGRES_URL} /
 * {@code ASYNCSQL_TEST_MARIADB_URL}, else a Testcontainers container when Docker is available, else a failure
 * that says how to point the tests at a server. Tests are never skipped silently.
 */
public final class TestDatabases {

	/** The environment variable naming the PostgreSQL server. */
	public static final String POSTGRES_URL = "ASYNCSQL_TEST_POSTGRES_URL";

	/** The environment variable naming the MariaDB server. */
	public static final String MARIADB_URL = "ASYNCSQL_TEST_MARIADB_URL";

	private static final ConcurrentHashMap<DatabaseType, TestDatabase> resolved = new ConcurrentHashMap<>();

	private TestDatabases() {
	}

	/** @return the PostgreSQL server */
	public static TestDatabase postgres() {
		return resolved.computeIfAbsent(DatabaseType.POSTGRESQL, type -> {
			String url = System.getenv(POSTGRES_URL);
			if (url != null && !url.isBlank()) {
				return new TestDatabase(type, url.trim());
			}
			if (dockerAvailable()) {
				PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
				container.start();
				return new TestDatabase(type, "r2dbc:postgresql://" + container.getUsername() + ":"
						+ container.getPassword() + "@" + container.getHost() + ":" + container.getFirstMappedPort() + "/"
						+ container.getDatabaseName());
			}
			throw new IllegalStateException(missing("PostgreSQL", POSTGRES_URL,
					"r2dbc:postgresql://postgres@127.0.0.1:5432/test"));
		});
	}

	/**
	 * The MariaDB server. {@code ASYNCSQL_TEST_MARIADB_URL=skip} leaves the MariaDB tests out on purpose (they are
	 * then reported as aborted, never silently passed).
	 * @return the server
	 */
	public static TestDatabase mariadb() {
		String url = System.getenv(MARIADB_URL);
		if (url != null && url.trim().equalsIgnoreCase("skip")) {
			throw new TestAbortedException(MARIADB_URL + "=skip: the MariaDB tests are left out on purpose");
		}
		return resolved.computeIfAbsent(DatabaseType.MARIADB, type -> {
			if (url != null && !url.isBlank()) {
				return new TestDatabase(type, url.trim());
			}
			if (dockerAvailable()) {
				MariaDBContainer container = new MariaDBContainer("mariadb:10.11");
				container.start();
				return new TestDatabase(type, "r2dbc:mariadb://root:" + container.getPassword() + "@"
						+ container.getHost() + ":" + container.getFirstMappedPort() + "/" + container.getDatabaseName());
			}
			throw new IllegalStateException(missing("MariaDB", MARIADB_URL, "r2dbc:mariadb://root@127.0.0.1:3306/test")
					+ " To leave the MariaDB tests out on purpose, set " + MARIADB_URL + "=skip.");
		});
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	static String missing(String product, String variable, String example) {
		return "No " + product + " server for the tests: set " + variable + " to an R2DBC URL (for example " + variable
				+ "=" + example + ") or make a Docker engine available for Testcontainers.";
	}

}
