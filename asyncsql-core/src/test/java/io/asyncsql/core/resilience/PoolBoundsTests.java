package io.asyncsql.core.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.pool.PoolStats;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools stay bounded and never leak: a small pool under many callers fails the surplus within a bounded time,
 * cancelled subscriptions (in every phase of every kind of call) give their connections back, and the node keeps
 * working afterwards.
 */
class PoolBoundsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static PostgresSchema schema;

	private static String suffix;

	private AsyncSqlNode node;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("pools");
		suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		schema.sql("CREATE TABLE events (id int NOT NULL, note text)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@AfterEach
	void closeNode() {
		if (this.node != null) {
			this.node.close();
		}
	}

	private AsyncSqlNode node(String name, SimpleMeterRegistry registry, UnaryOperator<NodeSettings.Builder> settings) {
		this.node = AsyncSqlNode.builder(settings.apply(schema.node(name + "_" + suffix)).build())
			.meterRegistry(registry)
			.build();
		return this.node;
	}

	private static void awaitNothingAcquired(AsyncSqlNode node) {
		await().atMost(WAIT).untilAsserted(() -> {
			PoolStats stats = node.pool().stats();
			assertThat(stats.acquired()).as("acquired connections in %s", stats).isZero();
			assertThat(stats.pendingAcquire()).as("pending acquires in %s", stats).isZero();
		});
	}

	private record Outcome(boolean succeeded, Throwable failure, Duration elapsed, Object pid) {
	}

	@Test
	void fiftyCallersOnAPoolOfTwoEachSucceedOrFailWithPoolExhaustionInBoundedTime() {
		Duration maxAcquireTime = Duration.ofMillis(300);
		RetryConfig retry = new RetryConfig(2, Duration.ofMillis(50), Duration.ofMillis(100), 2.0, false);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		AsyncSqlNode node = node("fifty", registry, b -> b.retry(retry)
			.pool(PoolSettings.builder().initialSize(0).maxSize(2).maxAcquireTime(maxAcquireTime).build()));

		List<Outcome> outcomes = runCallers(node, 50);

		// three waits for a connection, the delays between them, then holding it 200 ms, plus slack
		Duration bound = maxAcquireTime.multipliedBy(3).plusMillis(50 + 100).plusMillis(200).plusSeconds(4);
		assertThat(outcomes).hasSize(50).allSatisfy(outcome -> {
			assertThat(outcome.elapsed()).isLessThan(bound);
			if (!outcome.succeeded()) {
				assertThat(outcome.failure()).isInstanceOfSatisfying(RetryExhaustedException.class, ex -> {
					assertThat(ex.reason()).isEqualTo(TransientReason.POOL_EXHAUSTED);
					assertThat(ex.attempts()).isEqualTo(3);
					assertThat(ex.getCause()).isInstanceOf(PoolExhaustedException.class);
				});
			}
		});
		long succeeded = outcomes.stream().filter(Outcome::succeeded).count();
		assertThat(succeeded).as("the pool served callers throughout").isGreaterThanOrEqualTo(4);
		assertThat(50 - succeeded).as("the surplus failed instead of waiting").isGreaterThanOrEqualTo(10);
		assertThat(outcomes.stream().filter(Outcome::succeeded).map(Outcome::pid).distinct().count())
			.as("never more than two connections").isLessThanOrEqualTo(2);
		assertThat(new Meters(registry, node.name()).retries("pool_exhausted")).isPositive();
		awaitNothingAcquired(node);
		assertThat(node.pool().stats().allocated()).isLessThanOrEqualTo(2);
	}

	@Test
	void withoutRetriesTheSurplusFailsAfterOneMaxAcquireTime() {
		Duration maxAcquireTime = Duration.ofMillis(300);
		AsyncSqlNode node = node("fifty_once", new SimpleMeterRegistry(), b -> b.retry(RetryConfig.NONE)
			.pool(PoolSettings.builder().initialSize(0).maxSize(2).maxAcquireTime(maxAcquireTime).build()));

		List<Outcome> outcomes = runCallers(node, 50);

		assertThat(outcomes).hasSize(50).allSatisfy(outcome -> {
			if (outcome.succeeded()) {
				assertThat(outcome.elapsed()).isLessThan(maxAcquireTime.plusMillis(200).plusSeconds(2));
			}
			else {
				assertThat(outcome.failure()).isInstanceOfSatisfying(PoolExhaustedException.class, ex -> {
					assertThat(ex.attempts()).isEqualTo(1);
					assertThat(ex.poolName()).isEqualTo(node.pool().name());
				});
				assertThat(outcome.elapsed()).isBetween(maxAcquireTime.minusMillis(50), maxAcquireTime.plusSeconds(2));
			}
		});
		assertThat(outcomes.stream().filter(outcome -> !outcome.succeeded()).count()).isGreaterThanOrEqualTo(30);
		awaitNothingAcquired(node);
	}

	// each caller holds a connection for 200 ms inside a transaction
	private static List<Outcome> runCallers(AsyncSqlNode node, int callers) {
		return Flux.range(0, callers)
			.flatMap(i -> Mono.defer(() -> {
				long start = System.nanoTime();
				return node.inTransaction(tx -> tx.execute("SELECT pg_backend_pid() AS pid")
					.delayElement(Duration.ofMillis(200)))
					.single()
					.map(result -> new Outcome(true, null, Duration.ofNanos(System.nanoTime() - start),
							result.one().get("pid")))
					.onErrorResume(error -> Mono.just(new Outcome(false, error, Duration.ofNanos(System.nanoTime() - start),
							null)));
			}), callers)
			.collectList()
			.block(WAIT);
	}

	@Test
	void cancellingAPendingAcquireReleasesItsPlaceInTheQueue() {
		AsyncSqlNode node = node("pending", new SimpleMeterRegistry(), b -> b
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofSeconds(10)).build()));
		SqlTransaction holder = node.beginTransaction().block(WAIT);
		Disposable waiting = node.execute("SELECT 1").subscribe();
		await().atMost(WAIT).until(() -> node.pool().stats().pendingAcquire() == 1);
		waiting.dispose();
		await().atMost(WAIT).until(() -> node.pool().stats().pendingAcquire() == 0);
		holder.commit().block(WAIT);
		awaitNothingAcquired(node);
		assertThat(node.execute("SELECT 2 AS two").block(WAIT).one()).containsEntry("two", 2);
		assertThat(node.pool().stats().allocated()).isEqualTo(1);
	}

	@Test
	void fiveThousandCallsCancelledAtRandomPointsLeakNoConnection() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		AsyncSqlNode node = node("cancel", registry, b -> b
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(10)).build()));
		String application = "asyncsql-" + node.name();
		Set<String> failures = ConcurrentHashMap.newKeySet();

		Map<String, Long> outcomes = Flux.range(0, 5000)
			.flatMap(i -> {
				// some cancelled at once (waiting for a connection), some mid-statement, some rarely before the end
				long[] windows = { 2_000, 20_000, 200_000 };
				long cancelAfterMicros = ThreadLocalRandom.current().nextLong(0, windows[i % windows.length]);
				return call(node, i).then(Mono.just("completed"))
					.timeout(Duration.ofNanos(cancelAfterMicros * 1000), Mono.just("cancelled"))
					.onErrorResume(error -> {
						failures.add(error.getClass().getSimpleName() + ": " + error.getMessage());
						return Mono.just("failed");
					});
			}, 16)
			.collectList()
			.map(all -> all.stream().collect(java.util.stream.Collectors.groupingBy(outcome -> outcome,
					java.util.stream.Collectors.counting())))
			.block(Duration.ofSeconds(120));

		assertThat(outcomes.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5000);
		long cancelled = outcomes.getOrDefault("cancelled", 0L);
		System.out.println("Cancellation storm: " + outcomes);
		assertThat(cancelled).as("most calls were cancelled somewhere on their way").isGreaterThan(1000);
		assertThat(failures).as("cancellation makes no call fail").isEmpty();
		awaitNothingAcquired(node);
		// no transaction was left open on the server either
		await().atMost(WAIT).until(() -> (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE "
				+ "application_name = '" + application + "' AND state <> 'idle'") == 0);
		assertThat(node.pool().stats().allocated()).isLessThanOrEqualTo(4);

		// and the node still works, for every kind of call
		assertThat(node.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
		assertThat(node.execute("INSERT INTO events (id, note) VALUES (-1, 'after')").block(WAIT).rowCount()).isEqualTo(1);
		assertThat(node.inTransaction(tx -> tx.execute("SELECT count(*) AS n FROM events WHERE id = -1")).blockLast(WAIT)
			.one()).containsEntry("n", 1L);
		assertThat(node.stream("SELECT g FROM generate_series(1, 10) g", Map.of()).count().block(WAIT)).isEqualTo(10);
		awaitNothingAcquired(node);
	}

	// every kind of call: reads, writes, blocks, explicit transactions, streams and batches
	private static Mono<?> call(AsyncSqlNode node, int i) {
		Map<String, Object> row = Map.of("id", i, "note", "call " + i);
		return switch (i % 6) {
			case 0 -> node.execute("SELECT count(*) AS n FROM events");
			case 1 -> node.execute("INSERT INTO events (id, note) VALUES (:id, :note)", row);
			case 2 -> node.inTransaction(tx -> tx.execute("INSERT INTO events (id, note) VALUES (:id, :note)", row)
				.then(tx.execute("SELECT count(*) AS n FROM events WHERE id = :id", Map.of("id", i)))).then();
			case 3 -> Mono.usingWhen(node.beginTransaction(),
					tx -> tx.execute("UPDATE events SET note = :note WHERE id = :id", row)
						.then(tx.execute("SELECT 1 AS one")),
					SqlTransaction::commit, (tx, error) -> tx.rollback(), SqlTransaction::rollback);
			case 4 -> node.stream("SELECT g FROM generate_series(1, 2000) g", Map.of()).count();
			default -> node.executeMany("INSERT INTO events (id, note) VALUES (:id, :note)",
					List.of(row, row, row, row, row));
		};
	}

	/**
	 * A call cancelled just after its statement went out, as the response arrives: without care the driver leaves
	 * that response undrained at the head of the connection, and every later statement on it hangs while the pool
	 * sees an idle connection. Statements without parameters are sent as soon as they are subscribed, which makes
	 * the window a fraction of a millisecond to a few milliseconds wide; the trials sweep it.
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "execute", "stream", "block" })
	void callCancelledAsItsResponseArrivesLeavesNoPoisonedConnection(String kind) {
		AsyncSqlNode node = node("inflight", new SimpleMeterRegistry(), b -> b.retry(RetryConfig.NONE)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofSeconds(2)).build()));
		String query = "SELECT g FROM generate_series(1, 2000) g";
		long[] cancelAfterMicros = { 100, 300, 600, 1000, 1500, 2000 };
		for (int trial = 0; trial < 30; trial++) {
			node.execute("SELECT 0").block(WAIT); // a warm connection, so the time goes to the statement
			Mono<?> call = switch (kind) {
				case "execute" -> node.execute(query);
				case "stream" -> node.stream(query, Map.of()).then();
				default -> node.inTransaction(tx -> tx.execute(query)).then();
			};
			call.timeout(Duration.ofNanos(cancelAfterMicros[trial % cancelAfterMicros.length] * 1000), Mono.empty())
				.block(WAIT);
			assertThat(node.execute("SELECT 1 AS one").block(Duration.ofSeconds(3)).one()).as("trial %d", trial)
				.containsEntry("one", 1);
		}
		awaitNothingAcquired(node);
	}

	@Test
	void streamCancelledAfterItsFirstRowsKeepsItsConnection() {
		AsyncSqlNode node = node("take", new SimpleMeterRegistry(), b -> b
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).build()));
		Object pid = node.execute("SELECT pg_backend_pid() AS pid").block(WAIT).one().get("pid");
		for (int take = 1; take < 2000; take += 97) {
			assertThat(node.stream("SELECT g FROM generate_series(1, 100000) g", Map.of()).take(take).count()
				.block(WAIT)).isEqualTo(take);
		}
		// the driver closes an abandoned cursor itself, so the connection stayed in use
		assertThat(node.execute("SELECT pg_backend_pid() AS pid").block(WAIT).one()).containsEntry("pid", pid);
		awaitNothingAcquired(node);
	}

	@Test
	void aCancelledBlockIsRolledBackAndItsConnectionReturned() {
		AsyncSqlNode node = node("cancel_block", new SimpleMeterRegistry(), b -> b);
		Disposable block = node.inTransaction(tx -> tx.execute("INSERT INTO events (id, note) VALUES (-2, 'cancelled')")
			.then(Mono.never())).subscribe();
		await().atMost(WAIT).until(() -> node.pool().stats().acquired() == 1);
		await().atMost(WAIT).until(() -> (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE "
				+ "application_name = 'asyncsql-" + node.name() + "' AND state = 'idle in transaction'") == 1);
		block.dispose();
		awaitNothingAcquired(node);
		assertThat((Long) schema.scalar("SELECT count(*) FROM events WHERE id = -2")).isZero();
	}

	@Test
	void failedCallsReturnTheirConnections() {
		AsyncSqlNode node = node("failing", new SimpleMeterRegistry(), b -> b);
		List<Throwable> failures = Flux.range(0, 200)
			.flatMap(i -> Mono.from(switch (i % 4) {
				case 0 -> node.execute("SELECT 1 / 0");
				case 1 -> node.execute("INSERT INTO missing_table VALUES (1)");
				case 2 -> node.inTransaction(tx -> tx.execute("SELECT 1").then(Mono.error(new IllegalStateException("app"))));
				default -> node.inTransaction(tx -> tx.execute("SELECT no_such_column FROM events"));
			}).<Throwable>then(Mono.empty()).onErrorResume(Mono::just), 16)
			.collectList()
			.block(WAIT);
		assertThat(failures).hasSize(200);
		// the application's own failure passes through as it is; the database's are the node's exceptions
		assertThat(failures).filteredOn(IllegalStateException.class::isInstance).hasSize(50);
		assertThat(failures).filteredOn(AsyncSqlException.class::isInstance).hasSize(150);
		awaitNothingAcquired(node);
		assertThat(node.execute("SELECT 3 AS three").block(WAIT).one()).containsEntry("three", 3);
	}

}
