package io.asyncsql.core.node;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Statement timeouts: enforced by the server, cancelled there when shorter per query, and the connection goes
 * back to the pool usable. Validation is off on these nodes because they call pg_sleep on purpose.
 */
class TimeoutTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	@BeforeAll
	static void createNode() {
		schema = PostgresSchema.create("timeouts");
		node = AsyncSqlNode.builder(schema.node("sleepy").validateQueries(false).timeout(Duration.ofMillis(500))
			.retry(RetryConfig.NONE).build()).build();
	}

	@AfterAll
	static void close() {
		node.close();
		schema.close();
	}

	private static long runningSleeps() {
		return (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%' "
				+ "AND state = 'active' AND application_name = 'asyncsql-sleepy'");
	}

	@Test
	void serverStatementTimeoutFailsTheCallAndKeepsTheConnectionUsable() {
		assertThatThrownBy(() -> node.execute("SELECT pg_sleep(5)").block(WAIT))
			.isInstanceOfSatisfying(QueryTimeoutException.class, ex -> {
				assertThat(ex.sqlState()).isEqualTo("57014");
				assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(500));
			});
		assertThat(runningSleeps()).isZero();
		assertThat(node.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
	}

	@Test
	void shorterQueryTimeoutCancelsTheStatementOnTheServer() {
		long start = System.nanoTime();
		assertThatThrownBy(() -> node.execute(Query.of("SELECT pg_sleep(5)").timeout(Duration.ofMillis(150))).block(WAIT))
			.isInstanceOfSatisfying(QueryTimeoutException.class, ex -> assertThat(ex.sqlState()).isEqualTo("57014"));
		// cancelled by the server on request (57014), well before the 2 s the client would wait before abandoning it;
		// generous, since the machine may be busy
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
		await().atMost(WAIT).untilAsserted(() -> assertThat(runningSleeps()).isZero());
		assertThat(node.execute("SELECT 2 AS two").block(WAIT).one()).containsEntry("two", 2);
	}

	@Test
	void longerQueryTimeoutRaisesTheServerLimitForThatStatementOnly() {
		assertThat(node.execute(Query.of("SELECT 1 AS slept FROM pg_sleep(0.8)").timeout(Duration.ofSeconds(3)))
			.block(WAIT).one()).containsEntry("slept", 1);
		// the session default applies again to the next statement on the same (single) connection
		assertThat(node.execute("SHOW statement_timeout").block(WAIT).one()).containsEntry("statement_timeout", "500ms");
		assertThatThrownBy(() -> node.execute("SELECT pg_sleep(0.8)", Map.of()).block(WAIT))
			.isInstanceOf(QueryTimeoutException.class);
	}

}
