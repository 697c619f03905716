package io.asyncsql.core.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "No duplicate writes", under load and real faults: 24 writers insert rows with client-generated keys through
 * an AUTO node while connections are reset mid-INSERT (through a {@link TcpProxy}), their backends are terminated
 * on the server, and the server goes away for a while and comes back. The table has no unique constraint, so a
 * write sent twice would show as a duplicate. At the end every acknowledged insert exists exactly once, every
 * insert that failed with anything but {@link CommitOutcomeUnknownException} does not exist at all, and nothing
 * exists twice.
 */
@Tag("reliability")
class NoDuplicateWritesTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final int WRITERS = 24;

	private static PostgresSchema schema;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("nodup");
		// deliberately no unique constraint on client_key: a duplicate must be able to exist to be found
		schema.sql("CREATE TABLE ledger (client_key uuid NOT NULL, writer int NOT NULL, amount int NOT NULL)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@Test
	void killingConnectionsMidInsertUnderLoadNeverDuplicatesOrLosesAnAcknowledgedWrite() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		String nodeName = "ledger_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		try (TcpProxy proxy = TcpProxy.to(schema.database());
				// asynchronous commit: more writes per fault on a busy machine; durability is not what is tested
				AsyncSqlNode node = AsyncSqlNode.builder(schema.node(nodeName, proxy.host(), proxy.port(),
						Map.of("synchronous_commit", "off"))
					.transactionMode(TransactionMode.AUTO)
					.retry(new RetryConfig(6, Duration.ofMillis(20), Duration.ofMillis(400), 2.0, true))
					.pool(PoolSettings.builder().initialSize(0).maxSize(8).maxAcquireTime(Duration.ofSeconds(5)).build())
					.build()).meterRegistry(registry).build()) {
			Meters meters = new Meters(registry, nodeName);
			Ledger ledger = new Ledger();
			AtomicBoolean stop = new AtomicBoolean();

			long started = System.nanoTime();
			Mono<Void> writers = Flux.range(0, WRITERS)
				.flatMap(writer -> Mono.defer(() -> insert(node, writer, ledger))
					.repeat(() -> !stop.get())
					.then(), WRITERS)
				.then()
				.cache();
			writers.subscribe();

			Faults faults = new Faults(proxy, nodeName, ledger);
			faults.run();
			stop.set(true);
			writers.block(WAIT);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

			await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());

			// what the database holds
			Map<UUID, Long> stored = new ConcurrentHashMap<>();
			for (List<Object> row : schema.query("SELECT client_key, count(*) FROM ledger GROUP BY client_key")) {
				stored.put((UUID) row.get(0), (Long) row.get(1));
			}
			long duplicates = stored.values().stream().filter(count -> count > 1).count();
			long lostAcknowledged = ledger.acknowledged.stream().filter(key -> !stored.containsKey(key)).count();
			long certainFailuresStored = ledger.certainlyNotWritten.stream().filter(stored::containsKey).count();
			long unknownStored = ledger.unknown.stream().filter(stored::containsKey).count();
			long strays = stored.keySet().stream()
				.filter(key -> !ledger.acknowledged.contains(key) && !ledger.unknown.contains(key))
				.count();

			System.out.printf("%nNo-duplicate-writes under faults (%d writers, %d s):%n", WRITERS, elapsed.toSeconds());
			System.out.printf("  faults: %d resets (%d connections cut), %d terminations (%d backends), 1 outage of %d ms%n",
					faults.resets.get(), faults.cut.get(), faults.terminations.get(), faults.terminated.get(),
					Faults.OUTAGE.toMillis());
			System.out.printf("  attempted %d, acknowledged %d, failed %d%n", ledger.attempted.sum(),
					ledger.acknowledged.size(), ledger.failed());
			System.out.printf("  failed by reason: %s%n", new TreeMap<>(ledger.failuresByReason()));
			System.out.printf("  unknown outcome: %d (of which committed: %d, not committed: %d)%n", ledger.unknown.size(),
					unknownStored, ledger.unknown.size() - unknownStored);
			System.out.printf("  retried: %.0f (%s), exhausted: %.0f%n", meters.retries(), retriesByReason(meters),
					meters.exhausted());
			System.out.printf("  duplicates found: %d, lost acknowledged writes: %d, certain failures found written: %d%n",
					duplicates, lostAcknowledged, certainFailuresStored);
			System.out.printf("  recovery after the server came back: %d ms%n", faults.recovery.get() / 1_000_000);

			assertThat(duplicates).as("duplicates").isZero();
			assertThat(lostAcknowledged).as("acknowledged writes missing").isZero();
			assertThat(certainFailuresStored).as("writes reported as not written that were written").isZero();
			assertThat(strays).as("rows nobody attempted").isZero();
			assertThat(ledger.unexpected).as("failures outside the documented exceptions").isEmpty();
			assertThat(ledger.attempted.sum()).isEqualTo(ledger.acknowledged.size() + ledger.failed());
			// the faults really hit writes in flight, and the node kept working through them
			assertThat(ledger.unknown).as("writes cut mid-statement").isNotEmpty();
			assertThat(meters.retries()).isPositive();
			assertThat((long) ledger.acknowledged.size()).isGreaterThan(ledger.failed());
			assertThat(faults.recovery.get()).as("recovered after the outage").isPositive()
				.isLessThan(Duration.ofSeconds(5).toNanos());
			assertThat(node.execute("SELECT count(*) AS n FROM ledger").block(WAIT).one())
				.containsEntry("n", (long) stored.values().stream().mapToLong(Long::longValue).sum());
		}
	}

	private static Mono<Void> insert(AsyncSqlNode node, int writer, Ledger ledger) {
		UUID key = UUID.randomUUID();
		ledger.attempted.increment();
		return node.execute("INSERT INTO ledger (client_key, writer, amount) VALUES (:key, :writer, :amount)",
				Map.of("key", key, "writer", writer, "amount", ThreadLocalRandom.current().nextInt(1, 1000)))
			.doOnSuccess(result -> ledger.acknowledged(key))
			.onErrorResume(error -> {
				ledger.failed(key, error);
				return Mono.empty();
			})
			.then();
	}

	private static String retriesByReason(Meters meters) {
		StringBuilder text = new StringBuilder();
		for (String reason : List.of("connection", "shutdown", "pool_exhausted", "too_many_connections")) {
			double count = meters.retries(reason);
			if (count > 0) {
				text.append((text.length() > 0) ? ", " : "").append(reason).append(' ').append((long) count);
			}
		}
		return text.toString();
	}

	/** What each writer was told. */
	private static final class Ledger {

		final LongAdder attempted = new LongAdder();

		final Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();

		final Set<UUID> unknown = ConcurrentHashMap.newKeySet();

		final Set<UUID> certainlyNotWritten = ConcurrentHashMap.newKeySet();

		final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

		final Set<String> unexpected = ConcurrentHashMap.newKeySet();

		// System.nanoTime() when the server came back, and of the first acknowledgement after that
		final AtomicLong serverBack = new AtomicLong();

		final AtomicLong firstAcknowledgedAfterOutage = new AtomicLong();

		void acknowledged(UUID key) {
			this.acknowledged.add(key);
			if (this.serverBack.get() != 0) {
				this.firstAcknowledgedAfterOutage.compareAndSet(0, System.nanoTime());
			}
		}

		void failed(UUID key, Throwable error) {
			String reason;
			if (error instanceof CommitOutcomeUnknownException) {
				this.unknown.add(key);
				reason = "unknown outcome";
			}
			else {
				this.certainlyNotWritten.add(key);
				if (error instanceof RetryExhaustedException exhausted) {
					reason = "retries exhausted (" + exhausted.reason().tag() + ")";
				}
				else if (error instanceof ConnectionFailureException || error instanceof PoolExhaustedException) {
					reason = error.getClass().getSimpleName();
				}
				else {
					reason = "unexpected " + error.getClass().getSimpleName();
					this.unexpected.add(error.toString());
				}
			}
			this.reasons.computeIfAbsent(reason, r -> new LongAdder()).increment();
		}

		long failed() {
			return this.unknown.size() + this.certainlyNotWritten.size();
		}

		Map<String, Long> failuresByReason() {
			Map<String, Long> counts = new java.util.HashMap<>();
			this.reasons.forEach((reason, count) -> counts.put(reason, count.sum()));
			return counts;
		}

	}

	/**
	 * The fault schedule: resets through the proxy and terminations on the server at a steady pace, and halfway one
	 * outage during which the server refuses connections.
	 */
	private static final class Faults {

		static final Duration TICK = Duration.ofMillis(300);

		static final int TICKS = 36;

		static final Duration OUTAGE = Duration.ofMillis(1500);

		final TcpProxy proxy;

		final String application;

		final Ledger ledger;

		final AtomicInteger resets = new AtomicInteger();

		final AtomicInteger cut = new AtomicInteger();

		final AtomicInteger terminations = new AtomicInteger();

		final AtomicInteger terminated = new AtomicInteger();

		final AtomicLong recovery = new AtomicLong();

		Faults(TcpProxy proxy, String node, Ledger ledger) {
			this.proxy = proxy;
			this.application = "asyncsql-" + node;
			this.ledger = ledger;
		}

		void run() {
			int outageTick = TICKS / 2;
			Flux.interval(TICK, Schedulers.boundedElastic())
				.onBackpressureBuffer()
				.take(TICKS)
				.concatMap(tick -> Mono.fromRunnable(() -> {
					if (tick == outageTick) {
						outage();
					}
					else if (tick % 3 == 2) {
						terminate();
					}
					else {
						this.resets.incrementAndGet();
						this.cut.addAndGet(this.proxy.cutConnections());
					}
				}).subscribeOn(Schedulers.boundedElastic()))
				.then()
				.block(WAIT.multipliedBy(2));
		}

		private void terminate() {
			this.terminations.incrementAndGet();
			List<List<Object>> killed = schema.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
					+ "application_name = '" + this.application + "'");
			this.terminated.addAndGet(killed.size());
		}

		// the server goes away (its connections die, new ones are refused) and comes back
		private void outage() {
			this.proxy.refuseConnections();
			this.resets.incrementAndGet();
			this.cut.addAndGet(this.proxy.cutConnections());
			Mono.delay(OUTAGE).block(WAIT);
			this.ledger.serverBack.set(System.nanoTime());
			this.proxy.acceptConnections();
			await().atMost(WAIT).until(() -> this.ledger.firstAcknowledgedAfterOutage.get() != 0);
			this.recovery.set(this.ledger.firstAcknowledgedAfterOutage.get() - this.ledger.serverBack.get());
		}

	}

}
