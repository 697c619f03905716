package io.asyncsql.sample;

import java.util.List;

import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on PostgreSQL, with the {@code postgres} profile as the README documents it, in a schema of its own
 * on the test server.
 */
@ActiveProfiles("postgres")
class PostgresFundsTransferHttpTests extends FundsTransferHttpTests {

	private static final PostgresSchema schema = PostgresSchema.create("sample_http");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		PostgresProfileSettings.pointAt(registry, TestDatabases.postgres(), schema.name());
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@Override
	protected List<List<Object>> query(String sql) {
		return schema.query(sql);
	}

}
