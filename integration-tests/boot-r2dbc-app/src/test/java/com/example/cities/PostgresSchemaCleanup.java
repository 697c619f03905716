package com.example.cities;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Not part of the application: after the run on the PostgreSQL node, drops the schema that run created
 * ({@code cities.cleanup-schema}, set by the build), so the shared test database keeps nothing. Registered for
 * every test class through JUnit's extension auto-detection; acts once, when the whole run ends.
 */
public class PostgresSchemaCleanup implements BeforeAllCallback {

	@Override
	public void beforeAll(ExtensionContext context) {
		String schema = System.getProperty("cities.cleanup-schema");
		String url = System.getProperty("asyncsql.nodes.main.url");
		if (schema == null || url == null || !schema.matches("[a-z][a-z0-9_]*")) {
			return;
		}
		context.getRoot().getStore(Namespace.create(PostgresSchemaCleanup.class))
			.getOrComputeIfAbsent("drop", key -> (AutoCloseable) () -> drop(url, schema), AutoCloseable.class);
	}

	private static void drop(String url, String schema) {
		Mono.usingWhen(Mono.from(ConnectionFactories.get(url).create()),
				(Connection connection) -> Flux.from(connection.createStatement("DROP SCHEMA IF EXISTS " + schema
						+ " CASCADE").execute()).flatMap(result -> result.getRowsUpdated()).then(),
				Connection::close)
			.block(Duration.ofSeconds(30));
	}

}
