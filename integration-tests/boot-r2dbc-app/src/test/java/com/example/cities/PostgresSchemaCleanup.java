package com.example.cities;

import java.time.Duration;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Not part of the application: after the run on the PostgreSQL node, drops the schema that run created
 * ({@code cities.cleanup-schema}, set by the build), so the shared test database keeps nothing.
 */
public class PostgresSchemaCleanup implements LauncherSessionListener {

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		String schema = System.getProperty("cities.cleanup-schema");
		String url = System.getProperty("asyncsql.nodes.main.url");
		if (schema == null || url == null || !schema.matches("[a-z_]+")) {
			return;
		}
		Mono.usingWhen(Mono.from(ConnectionFactories.get(url).create()),
				(Connection connection) -> Flux.from(connection.createStatement("DROP SCHEMA IF EXISTS " + schema
						+ " CASCADE").execute()).flatMap(result -> result.getRowsUpdated()).then(),
				Connection::close)
			.block(Duration.ofSeconds(30));
	}

}
