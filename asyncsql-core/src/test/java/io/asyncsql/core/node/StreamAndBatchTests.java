package io.asyncsql.core.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.BatchResult;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StreamAndBatchTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static AsyncSqlNode auto;

	private static AsyncSqlNode none;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("stream");
		schema.sql("CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL)");
		auto = AsyncSqlNode.builder(schema.node("batch_auto").build()).build();
		none = AsyncSqlNode.builder(schema.node("batch_none").transactionMode(TransactionMode.NONE).build()).build();
	}

	@AfterAll
	static void dropSchema() {
		auto.close();
		none.close();
		schema.close();
	}

	@BeforeEach
	void truncate() {
		schema.sql("TRUNCATE events");
	}

	@Test
	void streamEmitsEveryRowWithBackpressure() {
		StepVerifier.create(auto.stream(Query.of("SELECT g AS n FROM generate_series(1, :count) g").param("count", 1000)
			.fetchSize(100)), 0)
			.thenRequest(1)
			.assertNext(row -> assertThat(row).containsEntry("n", 1))
			.thenRequest(999)
			.expectNextCount(999)
			.expectComplete()
			.verify(java.time.Duration.ofSeconds(60));
		await().atMost(WAIT).untilAsserted(() -> assertThat(auto.pool().stats().acquired()).isZero());
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "  ", ";", "-- nothing", "/* nothing */ ;" })
	void anEmptyStatementEndsAtOnceWhateverTheCall(String sql) {
		try (AsyncSqlNode unvalidated = AsyncSqlNode.builder(schema.node("batch_unvalidated").validateQueries(false).build())
			.build()) {
			for (AsyncSqlNode node : List.of(auto, unvalidated)) {
				StepVerifier.create(node.stream(Query.of(sql).fetchSize(5))).expectComplete().verify(WAIT);
				StepVerifier.create(node.stream(Query.of(sql))).expectComplete().verify(WAIT);
				assertThat(node.execute(sql).block(WAIT).rows()).isEmpty();
				await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
			}
		}
	}

	@Test
	void cancellingAStreamReleasesTheConnection() {
		StepVerifier.create(auto.stream("SELECT g AS n FROM generate_series(1, 1000000) g", Map.of()).take(10))
			.expectNextCount(10)
			.expectComplete()
			.verify(java.time.Duration.ofSeconds(60));
		await().atMost(WAIT).untilAsserted(() -> assertThat(auto.pool().stats().acquired()).isZero());
		assertThat(auto.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
	}

	@Test
	void aStreamKeepsItsQueryTimeoutEitherWayAndIsTimed() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("stream_timeouts").timeout(Duration.ofSeconds(1))
			.validateQueries(false).build()).meterRegistry(registry).build()) {
			// shorter than the session's timeout: the server cancels it
			StepVerifier.create(node.stream(Query.of("SELECT 1 AS n FROM pg_sleep(3)").timeout(Duration.ofMillis(200))))
				.expectError(QueryTimeoutException.class)
				.verify(WAIT);
			// longer: the session's timeout is raised for the stream, which outlives it
			StepVerifier.create(node.stream(Query.of("SELECT g AS n FROM pg_sleep(1.5), generate_series(1, 3) g")
				.timeout(Duration.ofSeconds(10))))
				.expectNextCount(3)
				.expectComplete()
				.verify(WAIT);
			// and the session's own timeout is back for the next statement on the connection
			assertThat(node.execute("SELECT current_setting('statement_timeout') AS t").block(WAIT).one())
				.containsEntry("t", "1s");
			await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
			assertThat(registry.get("asyncsql.queries").tag("node", "stream_timeouts").tag("outcome", "timeout")
				.timer().count()).isEqualTo(1);
			assertThat(registry.get("asyncsql.queries").tag("node", "stream_timeouts").tag("outcome", "success")
				.timer().count()).isEqualTo(2);
		}
	}

	@Test
	void batchReportsTheDatabasesRealAffectedRowTotal() {
		List<Map<String, Object>> sets = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			sets.add(Map.of("id", i, "kind", (i % 2 == 0) ? "even" : "odd"));
		}
		BatchResult inserted = auto.executeMany("INSERT INTO events (id, kind) VALUES (:id, :kind)", sets).block(WAIT);
		assertThat(inserted).isEqualTo(new BatchResult(10, 10));
		// each set touches a different number of rows: the total is what the database reports
		BatchResult updated = auto.executeMany("UPDATE events SET kind = kind || '!' WHERE kind = :kind",
				List.of(Map.of("kind", "even"), Map.of("kind", "odd"), Map.of("kind", "none"))).block(WAIT);
		assertThat(updated).isEqualTo(new BatchResult(10, 3));
	}

	@Test
	void autoModeBatchIsAllOrNothing() {
		assertThatThrownBy(() -> auto.executeMany("INSERT INTO events (id, kind) VALUES (:id, 'x')",
				List.of(Map.of("id", 1), Map.of("id", 2), Map.of("id", 1))).block(WAIT))
			.isInstanceOf(UniqueViolationException.class);
		assertThat(schema.scalar("SELECT count(*) FROM events")).isEqualTo(0L);
		await().atMost(WAIT).untilAsserted(() -> assertThat(auto.pool().stats().acquired()).isZero());
	}

	@Test
	void batchChecksEveryParameterSet() {
		assertThatThrownBy(() -> none.executeMany("INSERT INTO events (id, kind) VALUES (:id, :kind)",
				List.of(Map.of("id", 1, "kind", "a"), Map.of("id", 2, "knid", "b"))).block(WAIT))
			.isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("set 1")
			.hasMessageContaining("':kind'");
		assertThat(schema.scalar("SELECT count(*) FROM events")).isEqualTo(0L);
	}

	@Test
	void emptyBatchDoesNothing() {
		assertThat(auto.executeMany("INSERT INTO events (id, kind) VALUES (:id, :kind)", List.of()).block(WAIT))
			.isEqualTo(new BatchResult(0, 0));
	}

	@Test
	void streamInsideATransactionSeesItsWrites() {
		AtomicInteger seen = new AtomicInteger();
		auto.inTransaction(tx -> tx.execute("INSERT INTO events VALUES (1, 'a'), (2, 'b')")
			.thenMany(tx.stream("SELECT id FROM events", Map.of()))
			.doOnNext(row -> seen.incrementAndGet())).blockLast(WAIT);
		assertThat(seen).hasValue(2);
	}

}
