package io.asyncsql.sample;

import java.util.Objects;

import io.asyncsql.test.TestDatabase;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points the {@code postgres} profile's settings ({@code sample.postgres.*}, which default to the
 * {@code POSTGRES_*} environment variables) at a test server and a schema of the test's own.
 */
final class PostgresProfileSettings {

	private PostgresProfileSettings() {
	}

	static void pointAt(DynamicPropertyRegistry registry, TestDatabase database, String schema) {
		pointAt(registry, database.host(), database.port(), database, schema);
	}

	/**
	 * Points the profile at a server reached through another address, such as a proxy.
	 */
	static void pointAt(DynamicPropertyRegistry registry, String host, int port, TestDatabase database, String schema) {
		registry.add("sample.postgres.host", () -> host);
		registry.add("sample.postgres.port", () -> port);
		registry.add("sample.postgres.database", database::database);
		registry.add("sample.postgres.username", database::username);
		registry.add("sample.postgres.password", () -> Objects.toString(database.password(), ""));
		registry.add("sample.postgres.schema", () -> schema);
	}

}
