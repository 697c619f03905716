package io.asyncsql.core.scaleout;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SqlExecutionException;
import io.asyncsql.test.DisposablePostgres;
import io.asyncsql.test.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Multi-host failover on a primary and a streaming standby that the test starts as throwaway clusters (synchronous
 * replication, so the standby holds every acknowledged commit). A writer inserts rows with client-generated keys
 * while the primary is stopped the way a crash stops it and the standby is promoted: the node finds the new primary
 * by itself within a bounded time, and no acknowledged write is lost or applied twice.
 */
class FailoverTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private DisposablePostgres primary;

	private DisposablePostgres standby;

	@AfterEach
	void stop() {
		if (this.standby != null) {
			this.standby.close();
		}
		if (this.primary != null) {
			this.primary.close();
		}
	}

	private void startPair() {
		this.primary = DisposablePostgres.builder().replicationSource()
			.setting("synchronous_commit = on")
			.setting("synchronous_standby_names = '*'")
			.start();
		this.standby = DisposablePostgres.builder().standbyOf(this.primary, "failover_standby")
			// promoted, it has no standby of its own to wait for
			.setting("synchronous_standby_names = ''")
			.start();
		this.primary.sql("CREATE TABLE ledger (id bigint PRIMARY KEY, amount int NOT NULL)");
		await().atMost(WAIT).until(() -> this.standby.count("SELECT count(*) FROM pg_class WHERE relname = 'ledger'") == 1);
	}

	private NodeSettings.Builder node(String name, List<String> hosts) {
		return node(name, ConnectionSettings.ofHosts(hosts, "postgres", "postgres", null));
	}

	private NodeSettings.Builder node(String name, ConnectionSettings connection) {
		return NodeSettings.builder(name)
			.connection(connection)
			.timeout(Duration.ofSeconds(5))
			.retry(new RetryConfig(30, Duration.ofMillis(50), Duration.ofMillis(500), 2.0, true))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5))
				.maxCreateConnectionTime(Duration.ofSeconds(2)).build());
	}

	@Test
	void theNodeConnectsToThePrimaryAmongItsHosts() {
		startPair();
		// the standby first: the node must still write to the primary
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("pair", List.of("127.0.0.1:" + this.standby.port(),
				"127.0.0.1:" + this.primary.port())).build()).build()) {
			assertThat(node.execute("SELECT pg_is_in_recovery() AS standby").block(WAIT).one())
				.containsEntry("standby", false);
			assertThat(node.execute("INSERT INTO ledger (id, amount) VALUES (1, 10)").block(WAIT).rowCount()).isOne();
			assertThat(node.settings().connection().target()).contains(String.valueOf(this.standby.port()))
				.contains(String.valueOf(this.primary.port()));
		}
		// the same as a multi-host URL
		String url = "r2dbc:postgresql://postgres@127.0.0.1:" + this.standby.port() + ",127.0.0.1:" + this.primary.port()
				+ "/postgres";
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("url",
				ConnectionSettings.ofUrl(io.asyncsql.core.DatabaseType.POSTGRESQL, url)).build()).build()) {
			assertThat(node.execute("INSERT INTO ledger (id, amount) VALUES (2, 20)").block(WAIT).rowCount()).isOne();
		}
		assertThat(this.primary.count("SELECT count(*) FROM ledger")).isEqualTo(2);
	}

	@Test
	void afterPromotionTheNodeWritesToTheNewPrimaryAndLosesNoAcknowledgedWrite() throws Exception {
		startPair();
		Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
		Set<Long> unknown = ConcurrentHashMap.newKeySet();
		Set<Long> failed = ConcurrentHashMap.newKeySet();
		Set<String> failureStates = ConcurrentHashMap.newKeySet();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong firstAckAfterPromotion = new AtomicLong();
		AtomicLong promotedAt = new AtomicLong();
		ExecutorService writers = Executors.newFixedThreadPool(4);
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("failover", List.of("127.0.0.1:" + this.primary.port(),
				"127.0.0.1:" + this.standby.port())).build()).build()) {
			AtomicLong ids = new AtomicLong();
			List<Future<?>> futures = new java.util.ArrayList<>();
			for (int w = 0; w < 4; w++) {
				futures.add(writers.submit(() -> {
					while (running.get()) {
						long id = ids.incrementAndGet();
						try {
							node.execute("INSERT INTO ledger (id, amount) VALUES (:id, :amount)",
									Map.of("id", id, "amount", (int) (id % 100))).block(WAIT);
							acknowledged.add(id);
							if (promotedAt.get() != 0) {
								firstAckAfterPromotion.compareAndSet(0, System.nanoTime());
							}
						}
						catch (CommitOutcomeUnknownException ex) {
							unknown.add(id);
						}
						catch (RuntimeException ex) {
							failed.add(id);
							if (ex instanceof SqlExecutionException sql && sql.sqlState() != null) {
								failureStates.add(sql.sqlState());
							}
						}
					}
				}));
			}
			await().atMost(WAIT).until(() -> acknowledged.size() >= 300);
			long crashAt = System.nanoTime();
			this.primary.stopImmediately();
			this.standby.promote();
			promotedAt.set(System.nanoTime());
			int before = acknowledged.size();
			await().atMost(WAIT).until(() -> acknowledged.size() >= before + 300);
			running.set(false);
			for (Future<?> future : futures) {
				future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
			Duration recovery = Duration.ofNanos(firstAckAfterPromotion.get() - crashAt);
			Set<Long> rows = new HashSet<>();
			for (List<Object> row : this.standby.query("SELECT id FROM ledger")) {
				rows.add(((Number) row.get(0)).longValue());
			}
			System.out.printf("failover: %d acknowledged, %d unknown, %d failed (states %s), %d rows, "
					+ "first write on the new primary %d ms after the crash%n", acknowledged.size(), unknown.size(),
					failed.size(), failureStates, rows.size(), recovery.toMillis());
			assertThat(rows).as("every acknowledged write is on the new primary").containsAll(acknowledged);
			Set<Long> unexplained = new HashSet<>(rows);
			unexplained.removeAll(acknowledged);
			unexplained.removeAll(unknown);
			assertThat(unexplained).as("rows written without an acknowledgement or an unknown outcome").isEmpty();
			assertThat(failureStates).as("no write was applied twice").doesNotContain("23505");
			assertThat(recovery).isLessThan(Duration.ofSeconds(15));
			assertThat(node.execute("SELECT pg_is_in_recovery() AS standby").block(WAIT).one())
				.containsEntry("standby", false);
		}
		finally {
			running.set(false);
			writers.shutdownNow();
		}
	}

	@Test
	void writesRefusedByAStandbyBehindAMovedAddressAreRetriedOnAFreshConnection() {
		startPair();
		// one address, as a virtual IP or DNS name gives it; at the failover it moves before the promotion is done
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (TcpProxy address = TcpProxy.start("127.0.0.1", this.primary.port());
				AsyncSqlNode node = AsyncSqlNode.builder(NodeSettings.builder("moved")
					.connection(ConnectionSettings.of(io.asyncsql.core.DatabaseType.POSTGRESQL, address.host(),
							address.port(), "postgres", "postgres", null))
					.retry(new RetryConfig(40, Duration.ofMillis(50), Duration.ofMillis(250), 2.0, false))
					.pool(PoolSettings.builder().initialSize(0).maxSize(2).build())
					.build()).meterRegistry(meters).build()) {
			assertThat(node.execute("INSERT INTO ledger (id, amount) VALUES (1, 1)").block(WAIT).rowCount()).isOne();
			this.primary.stopImmediately();
			address.retarget("127.0.0.1", this.standby.port());
			// the standby answers, but refuses writes (25006) until it is promoted
			assertThat(this.standby.scalar("SELECT pg_is_in_recovery()")).isEqualTo(true);
			var write = node.execute("INSERT INTO ledger (id, amount) VALUES (2, 2)").toFuture();
			await().atMost(WAIT).until(() -> meters.counter("asyncsql.retries", "node", "moved", "reason", "read_only")
				.count() >= 1);
			this.standby.promote();
			assertThat(write.join().rowCount()).isOne();
			assertThat(this.standby.count("SELECT count(*) FROM ledger WHERE id = 2")).isOne();
			// the connections that led to the standby are gone; the pool's connections reach the new primary
			assertThat(node.execute("SELECT pg_is_in_recovery() AS standby").block(WAIT).one())
				.containsEntry("standby", false);
		}
	}

}
