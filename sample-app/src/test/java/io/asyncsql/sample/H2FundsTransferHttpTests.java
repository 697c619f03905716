package io.asyncsql.sample;

import java.util.List;

import io.asyncsql.test.H2Database;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on embedded H2, the zero-setup default profile, in an in-memory database of its own.
 */
@ActiveProfiles("h2")
class H2FundsTransferHttpTests extends FundsTransferHttpTests {

	private static final H2Database database = H2Database.create("sample_http");

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("sample.h2.database", database::name);
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@Override
	protected List<List<Object>> query(String sql) {
		return database.query(sql);
	}

	// r2dbc-h2 runs each statement to completion on the thread that subscribes,
	// so concurrent deposits mostly run one after another: conflicts are possible but not bound to happen
	@Override
	protected boolean concurrentStatementsInterleave() {
		return false;
	}

}
