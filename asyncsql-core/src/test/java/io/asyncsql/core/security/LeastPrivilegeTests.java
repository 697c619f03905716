package io.asyncsql.core.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.InvalidStatementException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A node that connects as a role with nothing but SELECT on one table: reads work, and every write is refused by
 * the server with SQLState 42501, reported once (a missing privilege does not appear on a retry) and without the
 * role's password.
 */
@Tag("reliability")
class LeastPrivilegeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static String role;

	private static String password;

	private static SimpleMeterRegistry registry;

	private static AsyncSqlNode node;

	@BeforeAll
	static void createReadOnlyRole() {
		schema = PostgresSchema.create("privilege");
		String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		role = "asyncsql_reader_" + suffix;
		password = "Rd-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-pw";
		schema.sql("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
				"INSERT INTO items VALUES (1, 'one'), (2, 'two')",
				"CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
				"GRANT USAGE ON SCHEMA " + schema.name() + " TO " + role,
				"GRANT SELECT ON " + schema.name() + ".items TO " + role);
		registry = new SimpleMeterRegistry();
		ConnectionSettings connection = new ConnectionSettings(DatabaseType.POSTGRESQL, null, schema.database().host(),
				schema.database().port(), schema.database().database(), role, password, null,
				Map.of("search_path", schema.name()));
		node = AsyncSqlNode.builder(schema.node("reader_" + suffix)
			.connection(connection)
			.retry(new RetryConfig(3, Duration.ofMillis(20), Duration.ofMillis(50), 2.0, false))
			.build()).meterRegistry(registry).build();
	}

	@AfterAll
	static void dropRole() {
		try {
			if (node != null) {
				node.close();
			}
			schema.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
			await().atMost(WAIT)
				.until(() -> schema.count("SELECT count(*) FROM pg_stat_activity WHERE usename = '" + role + "'") == 0);
			schema.sql("DROP OWNED BY " + role);
		}
		finally {
			schema.close();
			schema.sql("DROP ROLE IF EXISTS " + role);
		}
	}

	@Test
	void theRoleReadsItsTable() {
		assertThat(node.execute("SELECT name FROM items ORDER BY id").block(WAIT).rows())
			.extracting(row -> row.get("name"))
			.containsExactly("one", "two");
		assertThat(node.execute("SELECT current_user AS who").block(WAIT).one()).containsEntry("who", role);
	}

	@ParameterizedTest
	@ValueSource(strings = { "INSERT INTO items (id, name) VALUES (:id, 'three')",
			"UPDATE items SET name = 'changed' WHERE id = :id", "DELETE FROM items WHERE id = :id" })
	void everyWriteIsRefusedOnceWithPermissionDenied(String sql) {
		double retriesBefore = retries();

		InvalidStatementException failure = catchThrowableOfType(InvalidStatementException.class,
				() -> node.execute(sql, Map.of("id", 1)).block(WAIT));

		assertThat(failure).as("the write should have been refused").isNotNull();
		assertThat(failure.sqlState()).isEqualTo("42501");
		assertThat(failure.getMessage()).contains("permission denied").contains("items");
		assertThat(failure.attempts()).isEqualTo(1);
		assertThat(retries()).isEqualTo(retriesBefore);
		assertThat(failure.getMessage()).doesNotContain(password);
		assertThat(failure.toString()).doesNotContain(password);
		assertThat(node.toString()).doesNotContain(password);
		assertThat(node.settings().toString()).doesNotContain(password);
		assertThat(schema.query("SELECT id, name FROM items ORDER BY id"))
			.containsExactly(java.util.List.of(1, "one"), java.util.List.of(2, "two"));
	}

	private static double retries() {
		return registry.find(NodeMetrics.RETRIES).counters().stream().mapToDouble(Counter::count).sum();
	}

}
