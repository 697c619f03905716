package io.asyncsql.core.metrics;

import java.time.Duration;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Acquisition meters count timeouts as well as successes ({@code asyncsql.pool.acquire},
 * {@code asyncsql.pool.acquire.timeouts}), and a node remembers its last failure and its exhausted retries for
 * health, with or without a meter registry.
 */
class PoolAndNodeMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("poolmeters");
		schema.sql("CREATE FUNCTION always_conflicting() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
				+ "RAISE EXCEPTION 'no luck' USING ERRCODE = 'serialization_failure'; END $$");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@Test
	void anAcquireTimeoutIsCountedBesideTheAcquireTimer() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("single")
			.retry(RetryConfig.NONE)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofMillis(300)).build())
			.build()).meterRegistry(meters).build()) {
			String pool = node.pool().name();
			SqlTransaction holder = node.beginTransaction().block(WAIT);
			assertThatThrownBy(() -> node.execute("SELECT 1").block(WAIT)).isInstanceOf(PoolExhaustedException.class);
			holder.rollback().block(WAIT);
			node.execute("SELECT 1").block(WAIT);
			Counter timeouts = meters.find(AcquireMetrics.ACQUIRE_TIMEOUTS).tag("pool", pool).counter();
			Timer acquired = meters.find(AcquireMetrics.ACQUIRE).tag("pool", pool).timer();
			assertThat(timeouts).isNotNull();
			assertThat(timeouts.count()).isEqualTo(1);
			assertThat(acquired).isNotNull();
			assertThat(acquired.count()).isEqualTo(2);
		}
	}

	@Test
	void theNodeRemembersItsLastFailureAndExhaustedRetriesWithoutMeters() {
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("forgetful")
			.retry(new RetryConfig(1, Duration.ofMillis(5), Duration.ofMillis(5), 1.0, false))
			.build()).build()) {
			assertThat(node.activity().lastFailure()).isNull();
			assertThatThrownBy(() -> node.execute("SELECT * FROM nowhere").block(WAIT)).isNotNull();
			NodeActivity.Failure missing = node.activity().lastFailure();
			assertThat(missing).isNotNull();
			assertThat(missing.sqlState()).isEqualTo("42P01");
			assertThat(missing.attempts()).isEqualTo(1);
			assertThat(missing.message()).contains("nowhere");
			assertThat(node.activity().retriesExhausted()).isZero();
			assertThatThrownBy(() -> node.execute("SELECT always_conflicting()").block(WAIT))
				.isInstanceOf(RetryExhaustedException.class);
			assertThat(node.activity().retriesExhausted()).isEqualTo(1);
			NodeActivity.Failure exhausted = node.activity().lastRetriesExhausted();
			assertThat(exhausted).isNotNull();
			assertThat(exhausted.type()).isEqualTo("RetryExhaustedException");
			assertThat(exhausted.sqlState()).isEqualTo("40001");
			assertThat(exhausted.attempts()).isEqualTo(2);
			assertThat(node.activity().lastFailure()).isEqualTo(exhausted);
		}
	}

}
