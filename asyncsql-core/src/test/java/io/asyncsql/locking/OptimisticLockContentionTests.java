package io.asyncsql.locking;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers recomputing the same row at once: with a capped, jittered backoff every one of them gets through
 * within its retry budget and in bounded time, and the balance counts each exactly once. Without the cap and the
 * jitter (as before), twenty writers with {@code retry-delay: 2ms} and 80 retries did not finish in 30 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OptimisticLockContentionTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	private PostgresSchema schema;

	private AsyncSqlNode node;

	@BeforeAll
	void createSchema() {
		this.schema = PostgresSchema.create("contention");
		this.schema.sql("CREATE TABLE wallet (id bigint PRIMARY KEY, balance numeric(19,2) NOT NULL, "
				+ "version bigint NOT NULL DEFAULT 1)");
		this.node = AsyncSqlNode.builder(this.schema.node("contention")
			.pool(PoolSettings.builder().maxSize(8).maxAcquireTime(Duration.ofSeconds(30)).build())
			.build()).build();
	}

	@AfterAll
	void dropSchema() {
		this.node.close();
		this.schema.close();
	}

	// 20 and 64 writers with the default cap, and with a lower one (the figures of docs/reliability.md)
	@ParameterizedTest(name = "{0} writers, {1} retries, max-retry-delay {2} ms, jitter {3}")
	@CsvSource({ "20, 80, 1000, true", "64, 400, 1000, true", "20, 80, 100, true", "64, 400, 100, true" })
	void everyConcurrentRecomputingUpdateLandsOnceInBoundedTime(int writers, int maxRetries, long maxDelayMillis,
			boolean jitter) {
		contend(writers, maxRetries, maxDelayMillis, jitter);
	}

	private void contend(int writers, int maxRetries, long maxDelayMillis, boolean jitter) {
		this.schema.sql("DELETE FROM wallet", "INSERT INTO wallet (id, balance) VALUES (1, 0)");
		OptimisticLockManager locks = new OptimisticLockManager(new LockingSettings("version", "id", maxRetries,
				Duration.ofMillis(2), 2.0, ConflictResolution.RETRY, 100, Duration.ofMillis(maxDelayMillis), jitter),
				null, Schedulers.parallel(), Clock.systemUTC());
		long start = System.nanoTime();
		List<LockResult> results = Flux.range(0, writers)
			.flatMap(i -> locks.update(this.node, "wallet", 1L,
					row -> Map.of("balance", ((BigDecimal) row.get("balance")).add(BigDecimal.ONE))), writers)
			.collectList()
			.block(BOUND);
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		int retries = results.stream().mapToInt(LockResult::retryCount).sum();
		int mostRetries = results.stream().mapToInt(LockResult::retryCount).max().orElse(0);
		System.out.printf("lock contention: %d writers, max-retry-delay %d ms, jitter %s: %d ms, %d retries "
				+ "(at most %d for one writer)%n", writers, maxDelayMillis, jitter, elapsed, retries, mostRetries);
		assertThat(results).hasSize(writers).allMatch(LockResult::isSuccess);
		assertThat((BigDecimal) this.schema.scalar("SELECT balance FROM wallet WHERE id = 1"))
			.isEqualByComparingTo(BigDecimal.valueOf(writers));
		assertThat(this.schema.scalar("SELECT version FROM wallet WHERE id = 1")).isEqualTo(1L + writers);
		assertThat(mostRetries).isLessThanOrEqualTo(maxRetries);
		assertThat(Duration.ofMillis(elapsed)).isLessThan(Duration.ofSeconds(30));
	}

	@org.junit.jupiter.api.Test
	void delaysGrowToTheCapAndJitterStaysBelowIt() {
		LockingSettings fixed = new LockingSettings("version", "id", 100, Duration.ofMillis(2), 2.0,
				ConflictResolution.RETRY, 10, Duration.ofSeconds(1), false);
		assertThat(fixed.delay(0)).isEqualTo(Duration.ofMillis(2));
		assertThat(fixed.delay(3)).isEqualTo(Duration.ofMillis(16));
		assertThat(fixed.delay(30)).isEqualTo(Duration.ofSeconds(1));
		assertThat(fixed.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
		LockingSettings jittered = new LockingSettings("version", "id", 100, Duration.ofMillis(2), 2.0,
				ConflictResolution.RETRY, 10, Duration.ofSeconds(1), true);
		List<Duration> draws = Flux.range(0, 200).map(i -> jittered.delay(40)).collectList().block();
		assertThat(draws).allMatch(d -> !d.isNegative() && d.compareTo(Duration.ofSeconds(1)) <= 0);
		assertThat(draws.stream().distinct().count()).isGreaterThan(100);
		// the old seven-argument form keeps working, with the cap and jitter on
		assertThat(new LockingSettings("version", "id", 3, Duration.ofMillis(100), 2.0, ConflictResolution.RETRY, 10)
			.maxRetryDelay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(LockingSettings.DEFAULT.jitter()).isTrue();
		org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LockingSettings("version", "id", 3,
				Duration.ofSeconds(2), 2.0, ConflictResolution.RETRY, 10, Duration.ofSeconds(1), true))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("max-retry-delay must be >= retry-delay");
	}

}
