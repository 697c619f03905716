package io.asyncsql.core.scaleout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.node.DefaultAsyncSqlNode;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.routing.ReplicaSet;
import io.asyncsql.test.DisposablePostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read replicas on a primary and an asynchronous streaming standby that the test starts as throwaway clusters, the
 * standby applying WAL 100 ms late ({@code recovery_min_apply_delay}), so it is always a little behind: reads go
 * to the replica while it is within the lag bound, everything else to the primary; a replica whose replay is paused
 * or that is stopped is skipped and taken back once a probe finds it fit; with read-your-writes no read after the
 * node's own write is stale, also when the write is a transaction its caller commits or a Spring-managed one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadReplicaTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private DisposablePostgres primary;

	private DisposablePostgres standby;

	private String primaryPort;

	private String standbyPort;

	@BeforeAll
	void startPair() {
		this.primary = DisposablePostgres.builder().replicationSource().start();
		this.standby = DisposablePostgres.builder().standbyOf(this.primary, "read_replica")
			.setting("recovery_min_apply_delay = '100ms'")
			.start();
		this.primary.sql("CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL)");
		await().atMost(WAIT).until(() -> this.standby.count("SELECT count(*) FROM pg_class WHERE relname = 'items'") == 1);
		this.primaryPort = String.valueOf(this.primary.port());
		this.standbyPort = String.valueOf(this.standby.port());
	}

	@AfterAll
	void stopPair() {
		if (this.standby != null) {
			this.standby.close();
		}
		if (this.primary != null) {
			this.primary.close();
		}
	}

	@BeforeEach
	void emptyTable() {
		this.primary.sql("DELETE FROM items");
	}

	private NodeSettings.Builder node(String name) {
		return NodeSettings.builder(name)
			.connection(ConnectionSettings.of(DatabaseType.POSTGRESQL, "127.0.0.1", this.primary.port(), "postgres",
					"postgres", null))
			.replicas(List.of(ConnectionSettings.of(DatabaseType.POSTGRESQL, "127.0.0.1", this.standby.port(),
					"postgres", null, null)))
			.maxReplicaLag(Duration.ofSeconds(2))
			.retry(RetryConfig.NONE)
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5))
				.maxCreateConnectionTime(Duration.ofSeconds(2)).build());
	}

	private static String servedBy(AsyncSqlNode node) {
		return (String) node.execute("SELECT current_setting('port') AS port").block(WAIT).one().get("port");
	}

	private static double routed(SimpleMeterRegistry meters, String node, String target, String reason) {
		Counter counter = meters.find(ReplicaSet.ROUTING).tags("node", node, "target", target, "reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static ReplicaSet.Replica replica(AsyncSqlNode node) {
		return ((DefaultAsyncSqlNode) node).replicas().replicas().get(0);
	}

	@Test
	void readsGoToTheReplicaAndEverythingElseToThePrimary() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("routed").build()).meterRegistry(meters).build()) {
			await().atMost(WAIT).until(() -> replica(node).serving());
			assertThat(servedBy(node)).isEqualTo(this.standbyPort);
			assertThat(node.execute("INSERT INTO items (id, name) VALUES (1, 'one')").block(WAIT).rowCount()).isOne();
			assertThat(this.primary.count("SELECT count(*) FROM items")).isOne();
			assertThat(node.inTransaction(tx -> tx.execute("SELECT current_setting('port') AS port"))
				.blockLast(WAIT).one()).containsEntry("port", this.primaryPort);
			assertThat(node.execute("SELECT current_setting('port') AS port FROM items FOR UPDATE").block(WAIT).one())
				.containsEntry("port", this.primaryPort);
			assertThat(routed(meters, "routed", "replica", "read")).isEqualTo(1);
			assertThat(routed(meters, "routed", "primary", "write")).isEqualTo(2);
			assertThat(meters.get(ReplicaSet.LAG).tags("node", "routed", "replica", "routed-replica-1").gauge().value())
				.isBetween(0.0, 2.0);
		}
	}

	@Test
	void aLaggingReplicaIsSkippedAndTakenBackOnceItCatchesUp() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("lagging").build()).meterRegistry(meters).build()) {
			await().atMost(WAIT).until(() -> replica(node).serving());
			this.standby.sql("SELECT pg_wal_replay_pause()");
			try {
				for (int i = 0; i < 5; i++) {
					node.execute("INSERT INTO items (id, name) VALUES (:id, 'x')", Map.of("id", i)).block(WAIT);
				}
				await().atMost(WAIT).until(() -> !replica(node).serving());
				assertThat(replica(node).lagSeconds()).isGreaterThan(2.0);
				assertThat(servedBy(node)).isEqualTo(this.primaryPort);
				assertThat(routed(meters, "lagging", "primary", "lagging")).isPositive();
			}
			finally {
				this.standby.sql("SELECT pg_wal_replay_resume()");
			}
			await().atMost(WAIT).until(() -> replica(node).serving());
			assertThat(servedBy(node)).isEqualTo(this.standbyPort);
		}
	}

	@Test
	void readsDoNotFailWhileTheReplicaIsDown() {
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("survivor").build()).build()) {
			await().atMost(WAIT).until(() -> replica(node).serving());
			this.standby.stop();
			try {
				for (int i = 0; i < 50; i++) {
					assertThat(servedBy(node)).isEqualTo(this.primaryPort);
				}
				assertThat(replica(node).serving()).isFalse();
			}
			finally {
				this.standby.start();
			}
			await().atMost(WAIT).until(() -> replica(node).serving());
			assertThat(servedBy(node)).isEqualTo(this.standbyPort);
		}
	}

	@Test
	void readYourWritesNeverReadsStaleAfterTheNodesOwnWrite() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ConnectionPools pools = new ConnectionPools();
		try (AsyncSqlNode node = AsyncSqlNode.builder(node("ryw").readYourWrites(true).build()).pools(pools)
			.meterRegistry(meters).build();
				AsyncSqlNode careless = AsyncSqlNode.builder(node("careless").build()).pools(pools).build()) {
			await().atMost(WAIT).until(() -> replica(node).serving() && replica(careless).serving());
			int rounds = 2000;
			int stale = 0;
			int carelessStale = 0;
			for (int id = 1; id <= rounds; id++) {
				node.execute("INSERT INTO items (id, name) VALUES (:id, 'mine')", Map.of("id", id)).block(WAIT);
				long seen = (Long) node.execute("SELECT count(*) AS n FROM items WHERE id = :id", Map.of("id", id))
					.block(WAIT).one().get("n");
				if (seen != 1) {
					stale++;
				}
				long seenByOther = (Long) careless.execute("SELECT count(*) AS n FROM items WHERE id = :id",
						Map.of("id", id)).block(WAIT).one().get("n");
				if (seenByOther != 1) {
					carelessStale++;
				}
				if (id % 250 == 0) {
					// once the replica has replayed the node's writes, its reads go there again
					double before = routed(meters, "ryw", "replica", "read");
					int last = id;
					await().atMost(WAIT).until(() -> {
						node.execute("SELECT count(*) AS n FROM items WHERE id = :id", Map.of("id", last)).block(WAIT);
						return routed(meters, "ryw", "replica", "read") > before;
					});
				}
			}
			double onReplica = routed(meters, "ryw", "replica", "read");
			double heldBack = routed(meters, "ryw", "primary", "read_your_writes");
			System.out.printf("read-your-writes: %d writes, each read at once; stale reads %d with read-your-writes, "
					+ "%d without; reads on the replica %.0f, held back to the primary %.0f%n", rounds, stale,
					carelessStale, onReplica, heldBack);
			assertThat(stale).isZero();
			assertThat(carelessStale).as("the replica really is behind").isPositive();
			assertThat(onReplica).isGreaterThanOrEqualTo(rounds / 250);
			assertThat(heldBack).isGreaterThanOrEqualTo(rounds - onReplica);
		}
		finally {
			pools.close();
		}
	}


	@Test
	void readYourWritesCoversATransactionCommittedByItsCaller() {
		assertNoStaleReadAfter("begun", (node, id) -> node.beginTransaction()
			.flatMap(transaction -> transaction.execute("INSERT INTO items (id, name) VALUES (:id, 'begun')",
					Map.of("id", id)).then(transaction.commit())));
	}

	@Test
	void readYourWritesCoversNodeWritesInASpringManagedTransaction() {
		assertNoStaleReadAfter("spring", (node, id) -> TransactionalOperator
			.create(new R2dbcTransactionManager(node.pool().connectionFactory()))
			.transactional(node.execute("INSERT INTO items (id, name) VALUES (:id, 'spring')", Map.of("id", id))
				.then(node.execute("UPDATE items SET name = 'spring, updated' WHERE id = :id", Map.of("id", id))))
			.then());
	}

	// each write is read back at once through the node; a replica replaying 100 ms late would answer 0
	private void assertNoStaleReadAfter(String name, BiFunction<AsyncSqlNode, Integer, Mono<?>> write) {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		ConnectionPools pools = new ConnectionPools();
		try (AsyncSqlNode node = AsyncSqlNode.builder(node(name).readYourWrites(true).build()).pools(pools)
			.meterRegistry(meters).build()) {
			await().atMost(WAIT).until(() -> replica(node).serving());
			int rounds = 300;
			int stale = 0;
			for (int id = 1; id <= rounds; id++) {
				write.apply(node, id).block(WAIT);
				long seen = (Long) node.execute("SELECT count(*) AS n FROM items WHERE id = :id", Map.of("id", id))
					.block(WAIT).one().get("n");
				if (seen != 1) {
					stale++;
				}
			}
			// the read after the last write still reaches the replica once it has replayed it
			double before = routed(meters, name, "replica", "read");
			await().atMost(WAIT).until(() -> {
				node.execute("SELECT count(*) AS n FROM items WHERE id = 1").block(WAIT);
				return routed(meters, name, "replica", "read") > before;
			});
			double heldBack = routed(meters, name, "primary", "read_your_writes");
			System.out.printf("read-your-writes (%s): %d transactions, each read at once; stale reads %d, held back to "
					+ "the primary %.0f%n", name, rounds, stale, heldBack);
			assertThat(stale).isZero();
			assertThat(heldBack).as("reads right after a commit are held back from the lagging replica")
				.isGreaterThanOrEqualTo(rounds * 0.9);
		}
		finally {
			pools.close();
		}
	}

}
