package io.asyncsql.core.params;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Query;
import io.asyncsql.test.PostgresSchema;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code stream} keeps memory flat: rows are fetched from the server {@code fetchSize} at a time as the subscriber
 * asks for them. The server counts the rows it has produced ({@code nextval} is evaluated per row as the portal
 * runs), so "produced minus consumed" is every row in flight anywhere between the executor and the subscriber:
 * server buffers, socket, driver, mapping. While a slow subscriber pauses, that number must stay within a few fetch
 * sizes, however many rows the query has.
 */
class StreamBackpressureTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final int ROWS = 1_000_000;

	private static final int FETCH_SIZE = 500;

	/**
	 * Rows that may be in flight while the subscriber pauses. r2dbc-postgresql sends the next {@code Execute} for
	 * the portal only when the previous chunk has been read, so what is in flight is the rest of the current chunk
	 * (at most one fetch size); the bound leaves room for one more. Without backpressure the server would run ahead
	 * by the socket buffers, tens of thousands of these rows.
	 */
	private static final long IN_FLIGHT_BOUND = 2L * FETCH_SIZE;

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("stream");
		node = AsyncSqlNode.builder(schema.node("stream_bp").sharePool(false)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofSeconds(20)).build())
			.build()).build();
	}

	@AfterAll
	static void dropSchema() {
		node.close();
		schema.close();
	}

	@BeforeEach
	void freshCounter() {
		schema.sql("DROP SEQUENCE IF EXISTS produced", "CREATE SEQUENCE produced");
	}

	private static long produced() {
		// last_value is 1 before the first nextval; is_called tells the two apart
		List<Object> row = schema.query("SELECT last_value, is_called FROM produced").get(0);
		return Boolean.TRUE.equals(row.get(1)) ? (Long) row.get(0) : 0L;
	}

	private static Query countedRows(int rows, int fetchSize) {
		return Query.of("SELECT g AS n, nextval('produced') AS produced FROM generate_series(1, :rows) g")
			.param("rows", rows)
			.fetchSize(fetchSize);
	}

	@Test
	void millionRowsThroughAPausingSubscriberKeepFewRowsInFlight() {
		// pauses fall anywhere inside a chunk, not only on its edges
		PausingSubscriber subscriber = new PausingSubscriber(111_111);
		node.stream(countedRows(ROWS, FETCH_SIZE)).subscribe(subscriber);
		long maxAhead = 0;
		try {
			for (int pause = 1; pause <= 9; pause++) {
				long consumed = pause * 111_111L;
				await().atMost(WAIT).until(() -> subscriber.pausedAt() == consumed);
				// while the subscriber asks for nothing, the server must not produce more than a chunk or two ahead
				await().during(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5))
					.until(() -> produced() - consumed <= IN_FLIGHT_BOUND);
				maxAhead = Math.max(maxAhead, produced() - consumed);
				subscriber.resume();
			}
			await().atMost(WAIT).until(subscriber::isDone);
		}
		finally {
			subscriber.dispose();
		}
		assertThat(subscriber.failure()).isNull();
		assertThat(subscriber.consumed()).isEqualTo(ROWS);
		assertThat(subscriber.lastN()).isEqualTo(ROWS);
		assertThat(produced()).isEqualTo(ROWS);
		// the portal really ran in chunks: at a pause the server had produced more than the subscriber took
		assertThat(maxAhead).isPositive().isLessThanOrEqualTo(IN_FLIGHT_BOUND);
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
	}

	@Test
	void cancellingMidStreamStopsTheServerAndReleasesTheConnection() {
		PausingSubscriber subscriber = new PausingSubscriber(10_000);
		node.stream(countedRows(ROWS, FETCH_SIZE)).subscribe(subscriber);
		try {
			await().atMost(WAIT).until(() -> subscriber.pausedAt() == 10_000);
		}
		finally {
			subscriber.dispose();
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
		// the portal was closed: the counter stops where the last chunk ended
		await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
			.until(() -> produced() <= 10_000 + IN_FLIGHT_BOUND);
		// the server may need a moment to leave the closed portal on a busy machine
		await().atMost(WAIT).untilAsserted(() -> assertThat(schema.scalar("SELECT count(*) FROM pg_stat_activity "
				+ "WHERE application_name = 'asyncsql-stream_bp' AND state = 'active'")).isEqualTo(0L));
		// the pool's only connection is usable at once
		assertThat(node.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
	}

	@Test
	void cancellingWithTakeReleasesTheConnection() {
		StepVerifier.create(node.stream(countedRows(ROWS, 100)).take(250))
			.expectNextCount(250)
			.expectComplete()
			.verify(java.time.Duration.ofSeconds(60));
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
		assertThat(node.execute("SELECT count(*) AS n FROM generate_series(1, 10)").block(WAIT).one()).containsEntry("n", 10L);
		assertThat(produced()).isLessThanOrEqualTo(250 + 2 * 100);
	}

	@Test
	void failureMidStreamReachesTheSubscriberAndReleasesTheConnection() {
		StepVerifier.create(node.stream(Query.of("SELECT 1 / (g - :at) AS v FROM generate_series(1, 100000) g")
			.param("at", 5_000)
			.fetchSize(FETCH_SIZE)))
			.expectNextCount(4_999)
			.expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(IntegrityViolationException.class,
					ex -> assertThat(ex.sqlState()).isEqualTo("22012")))
			.verify(WAIT);
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
		assertThat(node.execute("SELECT 2 AS two").block(WAIT).one()).containsEntry("two", 2);
	}

	@Test
	void eachRequestIsServedWithoutReadingTheWholeResult() {
		StepVerifier.create(node.stream(countedRows(ROWS, 200)), 0)
			.thenRequest(1)
			.assertNext(row -> assertThat(row).containsEntry("n", 1))
			.then(() -> await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
				.until(() -> produced() <= 2 * 200))
			.thenRequest(999)
			.expectNextCount(999)
			.thenCancel()
			.verify(WAIT);
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
	}

	/**
	 * Asks for a few rows at a time and stops asking every {@code pauseEvery} rows until resumed, like a consumer
	 * that writes rows somewhere slow and now and then stalls.
	 */
	private static final class PausingSubscriber extends BaseSubscriber<Map<String, @Nullable Object>> {

		private static final int BATCH = 64;

		private final long pauseEvery;

		private final AtomicLong consumed = new AtomicLong();

		private final AtomicLong requested = new AtomicLong();

		private final AtomicLong pausedAt = new AtomicLong(-1);

		private final AtomicLong lastN = new AtomicLong();

		private final AtomicBoolean done = new AtomicBoolean();

		private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

		PausingSubscriber(long pauseEvery) {
			this.pauseEvery = pauseEvery;
		}

		@Override
		protected void hookOnSubscribe(Subscription subscription) {
			askForMore(0);
		}

		@Override
		protected void hookOnNext(Map<String, @Nullable Object> row) {
			long count = this.consumed.incrementAndGet();
			this.lastN.set(((Number) row.get("n")).longValue());
			if (count % this.pauseEvery == 0) {
				this.pausedAt.set(count);
			}
			else if (count == this.requested.get()) {
				askForMore(count);
			}
		}

		// never asks past the next pause point, so a pause really means nothing is requested
		private void askForMore(long count) {
			long nextPause = (count / this.pauseEvery + 1) * this.pauseEvery;
			long n = Math.min(BATCH, nextPause - count);
			this.requested.addAndGet(n);
			request(n);
		}

		@Override
		protected void hookOnError(Throwable throwable) {
			this.failure.set(throwable);
		}

		@Override
		protected void hookFinally(reactor.core.publisher.SignalType type) {
			this.done.set(true);
		}

		long pausedAt() {
			return this.pausedAt.get();
		}

		void resume() {
			this.pausedAt.set(-1);
			askForMore(this.consumed.get());
		}

		long consumed() {
			return this.consumed.get();
		}

		long lastN() {
			return this.lastN.get();
		}

		boolean isDone() {
			return this.done.get();
		}

		@Nullable Throwable failure() {
			return this.failure.get();
		}

	}

}
