package io.asyncsql.core.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.pool.PoolStats;
import io.asyncsql.locking.LockStatus;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.test.DisposablePostgres;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The soak: mixed traffic through two nodes sharing one pool (reads, AUTO inserts with client-generated keys,
 * MANUAL transfer transactions, optimistic increments, streams) while {@link ChaosSchedule} terminates backends,
 * restarts the server, takes {@code ACCESS EXCLUSIVE} locks and cancels calls in flight. Then every guarantee is
 * checked against the database and the JVM. Runs for {@code -Dasyncsql.soak.duration} (default a one-minute
 * smoke; the {@code reliability} Maven profile runs ten minutes) at {@code -Dasyncsql.soak.concurrency} (32).
 * By default the soak runs on a throwaway cluster it starts itself, because it restarts its server; see
 * {@link ServerRestart} for {@code -Dasyncsql.soak.restart}.
 */
@Tag("reliability")
class ChaosSoakTests {

	private static final Duration DURATION = Duration.parse(System.getProperty("asyncsql.soak.duration", "PT60S"));

	private static final int CONCURRENCY = Integer.getInteger("asyncsql.soak.concurrency", 32);


	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration WAIT = Duration.ofMinutes(2);

	private static final int ACCOUNTS = 64;

	private static final long OPENING_BALANCE = 10_000;

	private static final int COUNTERS = 8;

	private static final int POOL_SIZE = 10;

	private static final int INSERTS_PER_WORKER = 1 << 16;

	private static DisposablePostgres cluster;

	private static ServerRestart restart;

	private static PostgresSchema schema;

	@BeforeAll
	static void createSchema() {
		switch (ServerRestart.mode()) {
			case "disposable" -> {
				// the restarts go to a cluster of the soak's own: the test server is never restarted
				cluster = DisposablePostgres.builder().setting("max_connections = 50").start();
				restart = ServerRestart.of(cluster);
				schema = PostgresSchema.create(new TestDatabase(DatabaseType.POSTGRESQL, cluster.url()), "soak");
			}
			case "test-server" -> {
				schema = PostgresSchema.create("soak");
				restart = ServerRestart.ofTestServer(schema.database());
			}
			default -> {
				schema = PostgresSchema.create("soak");
				restart = ServerRestart.none("restarts turned off with -D" + ServerRestart.PROPERTY + "=false");
			}
		}
		schema.sql("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0))",
				"INSERT INTO accounts SELECT g, " + OPENING_BALANCE + " FROM generate_series(1, " + ACCOUNTS + ") g",
				// no unique constraint on client_key: a duplicate must be able to exist to be found
				"CREATE TABLE events (client_key uuid NOT NULL, worker int NOT NULL)",
				"CREATE TABLE transfers (id bigserial PRIMARY KEY, from_id int NOT NULL, to_id int NOT NULL, "
						+ "amount bigint NOT NULL)",
				"CREATE TABLE counters (id int PRIMARY KEY, value bigint NOT NULL, version bigint NOT NULL)",
				"INSERT INTO counters SELECT g, 0, 0 FROM generate_series(1, " + COUNTERS + ") g");
	}

	@AfterAll
	static void dropSchema() {
		try {
			if (schema != null) {
				schema.close();
			}
		}
		finally {
			if (cluster != null) {
				cluster.close();
			}
		}
	}

	// the suite's default of 180 s is for ordinary tests; the soak's own waits are bounded by its duration
	@Test
	@Timeout(value = 3, unit = TimeUnit.HOURS)
	void mixedTrafficThroughChaosKeepsEveryGuarantee() {
		String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		long seed = Long.getLong("asyncsql.soak.seed", System.nanoTime());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		NodeSettings.Builder shared = schema.node("soak_writer_" + suffix)
			.timeout(Duration.ofSeconds(10))
			.retry(new RetryConfig(5, Duration.ofMillis(50), Duration.ofSeconds(1), 2.0, true))
			.pool(PoolSettings.builder().initialSize(0).maxSize(POOL_SIZE).maxAcquireTime(Duration.ofSeconds(10)).build());
		NodeSettings writerSettings = shared.transactionMode(TransactionMode.AUTO).build();
		NodeSettings ledgerSettings = shared.name("soak_ledger_" + suffix).transactionMode(TransactionMode.MANUAL).build();
		try (AsyncSqlNodes nodes = AsyncSqlNodes.create(List.of(writerSettings, ledgerSettings), new ConnectionPools(),
				builder -> builder.meterRegistry(registry))) {
			Traffic traffic = new Traffic(nodes.node(writerSettings.name()), nodes.node(ledgerSettings.name()),
					new OptimisticLockManager(), new SoakJournal(CONCURRENCY, INSERTS_PER_WORKER));
			assertThat(traffic.writer.pool()).as("the two nodes share one pool").isSameAs(traffic.ledger.pool());

			// caches, meters and the pool's connections exist before the start is measured
			traffic.runFor(() -> Mono.delay(WARM_UP).block(WAIT));
			JvmFootprint start = JvmFootprint.now();

			Sinks.Many<Integer> cancels = Sinks.many().multicast().directBestEffort();
			ChaosSchedule chaos = new ChaosSchedule(schema, "asyncsql-soak_", restart, cancels, CONCURRENCY, seed);
			traffic.cancels = cancels.asFlux();
			Instant began = Instant.now();
			traffic.runFor(() -> chaos.run(DURATION));
			Duration elapsed = Duration.between(began, Instant.now());

			// the server is back and the pool gave every connection back
			await().atMost(WAIT).ignoreExceptions().until(() -> traffic.writer.ping().block(WAIT) != null);
			await().atMost(WAIT).untilAsserted(() -> assertThat(traffic.writer.pool().stats().acquired()).isZero());
			PoolStats pool = traffic.writer.pool().stats();
			JvmFootprint end = JvmFootprint.now();
			await().atMost(Duration.ofSeconds(30)).pollInSameThread()
				.untilAsserted(() -> assertThat(JvmFootprint.now().threadsAddedSince(start)).as("threads added").isEmpty());

			Verdict verdict = Verdict.read(traffic.journal);
			Meters meters = new Meters(registry, writerSettings.name());
			Meters ledgerMeters = new Meters(registry, ledgerSettings.name());
			SoakJournal journal = traffic.journal;
			long[] inserts = journal.insertCounts();

			System.out.printf("%nChaos soak: %d workers, %d s (asked %s), pool of %d shared by 2 nodes, seed %d%n",
					CONCURRENCY, elapsed.toSeconds(), DURATION, POOL_SIZE, seed);
			System.out.printf("  faults: %d terminations (%d backends), %d restarts (%d ms in all)%s, %d exclusive locks "
					+ "(%d ms held), %d calls cancelled, %d faults not injected%n", chaos.terminations.get(),
					chaos.terminatedBackends.get(), chaos.restarts.get(), chaos.restartMillis.get(),
					restart.available() ? "" : " [restarts left out: " + restart.unavailableReason() + "]",
					chaos.locks.get(), chaos.lockedMillis.get(), chaos.cancellations.get(), chaos.faultsThatFailed.get());
			System.out.printf("  operations: %d (%.0f/s), cancelled in flight: %d, streamed rows: %d%n",
					journal.operations.sum(), journal.operations.sum() / (double) Math.max(1, elapsed.toSeconds()),
					journal.cancelled.sum(), journal.streamedRows.sum());
			System.out.printf("  inserts: %d acknowledged, %d outcome unknown, %d not written; stored %d, duplicates %d, "
					+ "acknowledged missing %d, reported-unwritten stored %d, strays %d%n", inserts[SoakJournal.ACKNOWLEDGED],
					inserts[SoakJournal.UNKNOWN], inserts[SoakJournal.NOT_WRITTEN], verdict.storedInserts, verdict.duplicates,
					verdict.acknowledgedMissing, verdict.notWrittenStored, verdict.strays);
			System.out.printf("  transfers: %d committed (%d rows), %d outcome unknown; money %d of %d%n",
					journal.transfersCommitted.sum(), verdict.transferRows, journal.transfersUnknown.sum(), verdict.money,
					ACCOUNTS * OPENING_BALANCE);
			System.out.printf("  increments: %d succeeded, %d outcome unknown, %d gave up on conflicts; counters hold %d%n",
					journal.incrementsSucceeded.sum(), journal.incrementsUnknown.sum(), journal.incrementsExhausted.sum(),
					verdict.counted);
			System.out.printf("  retries: writer %.0f, ledger %.0f; exhausted: %.0f%n", meters.retries(),
					ledgerMeters.retries(), meters.exhausted() + ledgerMeters.exhausted());
			System.out.printf("  failures received: %s%n", journal.failures());
			System.out.printf("  pool at the end: %s; JVM: start %s, end %s (heap %+.1f %%)%n", pool, start, end,
					end.heapGrowthSince(start) * 100);

			assertThat(journal.unclassified).as("failures outside the documented exceptions").isEmpty();
			assertThat(inserts[SoakJournal.ATTEMPTED]).as("inserts that never reached an outcome").isZero();
			assertThat(verdict.duplicates).as("inserts stored twice").isZero();
			assertThat(verdict.acknowledgedMissing).as("acknowledged inserts missing").isZero();
			assertThat(verdict.notWrittenStored).as("inserts reported as not written that were written").isZero();
			assertThat(verdict.strays).as("rows nobody inserted").isZero();
			assertThat(verdict.money).as("money is conserved").isEqualTo(ACCOUNTS * OPENING_BALANCE);
			assertThat(verdict.transferRows).as("transfer rows")
				.isBetween(journal.transfersCommitted.sum(), journal.transfersCommitted.sum() + journal.transfersUnknown.sum());
			assertThat(verdict.counted).as("counters against successful increments")
				.isBetween(journal.incrementsSucceeded.sum(),
						journal.incrementsSucceeded.sum() + journal.incrementsUnknown.sum());
			assertThat(pool.acquired()).isZero();
			assertThat(pool.allocated()).isLessThanOrEqualTo(POOL_SIZE);
			assertThat(pool.maxAllocated()).isLessThanOrEqualTo(POOL_SIZE);
			assertThat(end.heapGrowthSince(start)).as("heap growth after GC").isLessThanOrEqualTo(0.10);
			// the traffic went on between faults, and the faults really happened
			assertThat(inserts[SoakJournal.ACKNOWLEDGED]).isPositive();
			assertThat(journal.transfersCommitted.sum()).isPositive();
			assertThat(journal.incrementsSucceeded.sum()).isPositive();
			assertThat(chaos.terminatedBackends.get() + chaos.restarts.get()).isPositive();
			assertThat(chaos.locks.get()).isPositive();
			if (restart.available()) {
				assertThat(chaos.restarts.get()).isPositive();
			}
		}
	}

	/** The workers: each runs one call after another until told to stop. */
	private static final class Traffic {

		final AsyncSqlNode writer;

		final AsyncSqlNode ledger;

		final OptimisticLockManager locks;

		final SoakJournal journal;

		Flux<Integer> cancels = Flux.never();

		Traffic(AsyncSqlNode writer, AsyncSqlNode ledger, OptimisticLockManager locks, SoakJournal journal) {
			this.writer = writer;
			this.ledger = ledger;
			this.locks = locks;
			this.journal = journal;
		}

		/** Runs the workers while {@code during} runs on this thread, then stops them and waits for them. */
		void runFor(Runnable during) {
			AtomicBoolean stop = new AtomicBoolean();
			Mono<Void> workers = Flux.range(0, CONCURRENCY)
				.flatMap(worker -> Mono.defer(() -> call(worker)).repeat(() -> !stop.get()).then(), CONCURRENCY)
				.then()
				.cache();
			workers.subscribe();
			try {
				during.run();
			}
			finally {
				stop.set(true);
				workers.block(WAIT);
			}
		}

		private Mono<Void> call(int worker) {
			this.journal.operations.increment();
			int pick = ThreadLocalRandom.current().nextInt(100);
			Mono<Void> call = (pick < 30) ? read() : (pick < 60) ? insert(worker) : (pick < 78) ? transfer()
					: (pick < 90) ? increment() : stream();
			// a cancelled call completes empty for the worker, which goes on with its next call
			return call.takeUntilOther(this.cancels.filter(target -> target == worker));
		}

		private Mono<Void> read() {
			return this.ledger.execute("SELECT balance FROM accounts WHERE id = :id", Map.of("id", anyAccount()),
					FetchMode.ONE)
				.doOnNext(result -> assertThat((Long) result.one().get("balance")).isNotNegative())
				.then()
				.onErrorResume(error -> failed("read", error, null))
				.doOnCancel(this.journal.cancelled::increment);
		}

		private Mono<Void> insert(int worker) {
			UUID key = this.journal.nextInsert(worker);
			if (key == null) {
				return read();
			}
			return this.writer.execute("INSERT INTO events (client_key, worker) VALUES (:key, :worker)",
					Map.of("key", key, "worker", worker))
				.doOnSuccess(result -> this.journal.insertOutcome(key, SoakJournal.ACKNOWLEDGED))
				.then()
				.onErrorResume(error -> {
					boolean unknown = this.journal.failed("insert", error);
					this.journal.insertOutcome(key, unknown ? SoakJournal.UNKNOWN : SoakJournal.NOT_WRITTEN);
					return Mono.empty();
				})
				.doOnCancel(() -> {
					this.journal.cancelled.increment();
					this.journal.insertOutcome(key, SoakJournal.UNKNOWN);
				});
		}

		private Mono<Void> transfer() {
			int from = anyAccount();
			int to = (from % ACCOUNTS) + 1;
			long amount = ThreadLocalRandom.current().nextLong(1, 200);
			Map<String, Object> params = Map.of("from", from, "to", to, "amount", amount);
			Map<String, Object> debited = Map.of("from", from, "amount", amount);
			Map<String, Object> credited = Map.of("to", to, "amount", amount);
			return this.ledger.inTransaction(tx -> tx
				.execute("UPDATE accounts SET balance = balance - :amount WHERE id = :from AND balance >= :amount", debited)
				.flatMap(debit -> (debit.rowCount() == 0) ? Mono.just(false)
						: tx.execute("UPDATE accounts SET balance = balance + :amount WHERE id = :to", credited)
							.then(tx.execute("INSERT INTO transfers (from_id, to_id, amount) VALUES (:from, :to, :amount)",
									params))
							.thenReturn(true)))
				.doOnNext(moved -> {
					if (moved) {
						this.journal.transfersCommitted.increment();
					}
				})
				.then()
				.onErrorResume(error -> failed("transfer", error, this.journal.transfersUnknown::increment))
				.doOnCancel(() -> {
					this.journal.cancelled.increment();
					this.journal.transfersUnknown.increment();
				});
		}

		private Mono<Void> increment() {
			int id = ThreadLocalRandom.current().nextInt(1, COUNTERS + 1);
			return this.locks.update(this.writer, "counters", id,
					current -> Map.of("value", ((Number) current.data().get("value")).longValue() + 1))
				.doOnNext(result -> {
					if (result.status() == LockStatus.SUCCESS) {
						this.journal.incrementsSucceeded.increment();
					}
					else if (result.status() == LockStatus.RETRY_EXHAUSTED) {
						this.journal.incrementsExhausted.increment();
					}
				})
				.then()
				.onErrorResume(error -> failed("increment", error, this.journal.incrementsUnknown::increment))
				.doOnCancel(() -> {
					this.journal.cancelled.increment();
					this.journal.incrementsUnknown.increment();
				});
		}

		private Mono<Void> stream() {
			return this.ledger.stream("SELECT id, balance FROM accounts ORDER BY id", Map.of())
				.take(ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1))
				.doOnNext(row -> this.journal.streamedRows.increment())
				.then()
				.onErrorResume(error -> failed("stream", error, null))
				.doOnCancel(this.journal.cancelled::increment);
		}

		private Mono<Void> failed(String operation, Throwable error, Runnable onUnknownOutcome) {
			if (this.journal.failed(operation, error) && onUnknownOutcome != null) {
				onUnknownOutcome.run();
			}
			return Mono.empty();
		}

		private static int anyAccount() {
			return ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1);
		}

	}

	/** What the database holds at the end, against the journal. */
	private record Verdict(long storedInserts, long duplicates, long acknowledgedMissing, long notWrittenStored,
			long strays, long money, long transferRows, long counted) {

		static Verdict read(SoakJournal journal) {
			long stored = 0;
			long duplicates = 0;
			long notWrittenStored = 0;
			long strays = 0;
			long acknowledgedStored = 0;
			for (List<Object> row : schema.query("SELECT client_key, count(*) FROM events GROUP BY client_key")) {
				UUID key = (UUID) row.get(0);
				long count = (Long) row.get(1);
				stored++;
				duplicates += (count > 1) ? 1 : 0;
				byte outcome = journal.outcome(key);
				if (outcome == SoakJournal.ACKNOWLEDGED) {
					acknowledgedStored++;
				}
				else if (outcome == SoakJournal.NOT_WRITTEN) {
					notWrittenStored++;
				}
				else if (outcome == 0) {
					strays++;
				}
			}
			long acknowledgedMissing = journal.insertCounts()[SoakJournal.ACKNOWLEDGED] - acknowledgedStored;
			long money = single("SELECT sum(balance) FROM accounts");
			long transferRows = single("SELECT count(*) FROM transfers");
			long counted = single("SELECT sum(value) FROM counters");
			return new Verdict(stored, duplicates, acknowledgedMissing, notWrittenStored, strays, money, transferRows,
					counted);
		}

		private static long single(String sql) {
			List<List<Object>> rows = new ArrayList<>(schema.query(sql));
			return ((Number) rows.get(0).get(0)).longValue();
		}

	}

}
