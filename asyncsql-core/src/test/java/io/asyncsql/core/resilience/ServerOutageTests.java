package io.asyncsql.core.resilience;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The network between a node and its server fails, through a {@link TcpProxy} (the shared server itself is never
 * touched): the server goes away and comes back, connections are reset mid-statement. Dead connections are
 * evicted and replaced, and the node recovers by itself.
 */
@Tag("reliability")
class ServerOutageTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static String suffix;

	private TcpProxy proxy;

	private SimpleMeterRegistry registry;

	private AsyncSqlNode node;

	private Meters meters;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("outage");
		suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		schema.sql("CREATE TABLE events (id int NOT NULL)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@BeforeEach
	void startProxy() {
		schema.sql("TRUNCATE events");
		this.proxy = TcpProxy.to(schema.database());
		this.registry = new SimpleMeterRegistry();
	}

	@AfterEach
	void stopProxy() {
		if (this.node != null) {
			AsyncSqlNode closing = this.node;
			await().atMost(WAIT).untilAsserted(() -> assertThat(closing.pool().stats().acquired()).isZero());
			closing.close();
		}
		this.proxy.close();
	}

	private AsyncSqlNode nodeViaProxy(String name, RetryConfig retry) {
		String nodeName = name + "_" + suffix;
		this.node = AsyncSqlNode.builder(schema.node(nodeName, this.proxy.host(), this.proxy.port(), Map.of())
			.validateQueries(false)
			.retry(retry)
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5)).build())
			.build()).meterRegistry(this.registry).build();
		this.meters = new Meters(this.registry, nodeName);
		return this.node;
	}

	private List<Object> backendPids() {
		return schema.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'asyncsql-" + this.node.name()
				+ "'").stream().map(row -> row.get(0)).toList();
	}

	private long activeStatements(String prefix) {
		return (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'asyncsql-"
				+ this.node.name() + "' AND state = 'active' AND query LIKE '" + prefix + "%'");
	}

	@Test
	void serverGoneAndBackTheNodeRecoversByItselfWithFreshConnections() {
		AsyncSqlNode node = nodeViaProxy("recover", new RetryConfig(10, Duration.ofMillis(50), Duration.ofMillis(400), 2.0,
				true));
		// three pooled connections in use before the outage
		Flux.range(0, 3).flatMap(i -> node.inTransaction(tx -> tx.execute("SELECT 1").delayElement(Duration.ofMillis(100))))
			.blockLast(WAIT);
		List<Object> before = backendPids();
		assertThat(before).hasSize(3);
		int acceptedBefore = this.proxy.acceptedConnections();

		// the server "crashes": its connections die and new ones are refused
		this.proxy.refuseConnections();
		assertThat(this.proxy.cutConnections()).isEqualTo(3);
		CompletableFuture<QueryResult> read = node.execute("SELECT count(*) AS n FROM events WHERE id < 0").toFuture();
		// by now the read has met the dead connections and the refused new ones; a write issued before the client
		// saw its connection die could have been sent on it, and then its outcome would be unknown
		await().atMost(WAIT).until(() -> this.meters.retries("connection") >= 4);
		CompletableFuture<QueryResult> write = node.execute("INSERT INTO events (id) VALUES (1)").toFuture();
		await().atMost(WAIT).until(() -> this.meters.retries("connection") >= 5);
		assertThat(read).isNotDone();
		assertThat(write).isNotDone();

		// the server is back: the waiting calls go through on new connections, without restarting anything
		long back = System.nanoTime();
		this.proxy.acceptConnections();
		assertThat(read.join().one()).containsEntry("n", 0L);
		assertThat(write.join().rowCount()).isEqualTo(1);
		Duration recovery = Duration.ofNanos(System.nanoTime() - back);
		System.out.println("Recovery after the server came back: " + recovery.toMillis() + " ms");
		assertThat(recovery).isLessThan(Duration.ofSeconds(3));

		// nothing was sent before the outage ended, so the write is there once
		assertThat((Long) schema.scalar("SELECT count(*) FROM events WHERE id = 1")).isEqualTo(1L);
		assertThat(this.meters.exhausted()).isZero();
		await().atMost(WAIT).until(() -> node.pool().stats().acquired() == 0);
		// every dead connection was evicted: what the pool holds now came through the proxy afterwards
		assertThat(this.proxy.acceptedConnections()).isGreaterThan(acceptedBefore);
		assertThat(backendPids()).doesNotContainAnyElementsOf(before);
		assertThat(node.pool().stats().allocated()).isLessThanOrEqualTo(this.proxy.openConnections());
	}

	@Test
	void readResetMidStatementIsRetried() {
		AsyncSqlNode node = nodeViaProxy("reset_read", new RetryConfig(3, Duration.ofMillis(20), Duration.ofMillis(100), 2.0,
				false));
		CompletableFuture<QueryResult> read = node.execute("SELECT 7 AS seven FROM pg_sleep(1.5)").toFuture();
		await().atMost(WAIT).until(() -> activeStatements("SELECT 7") == 1);
		assertThat(this.proxy.cutConnections()).isEqualTo(1);
		assertThat(read.join().one()).containsEntry("seven", 7);
		assertThat(this.meters.retries("connection")).isEqualTo(1);
	}

	@Test
	void writeResetMidStatementIsNotRetriedEvenThoughItMayHaveCommitted() {
		AsyncSqlNode node = nodeViaProxy("reset_write", new RetryConfig(3, Duration.ofMillis(20), Duration.ofMillis(100), 2.0,
				false));
		CompletableFuture<QueryResult> write = node.execute("INSERT INTO events (id) SELECT 9 FROM pg_sleep(1.5)").toFuture();
		await().atMost(WAIT).until(() -> activeStatements("INSERT INTO events") == 1);
		assertThat(this.proxy.cutConnections()).isEqualTo(1);

		assertThatThrownBy(write::join).cause().isInstanceOfSatisfying(CommitOutcomeUnknownException.class, ex -> {
			assertThat(ex.attempts()).isEqualTo(1);
			assertThat(ex.sqlState()).startsWith("08");
		});
		assertThat(this.meters.retries()).isZero();
		// the server did not notice the lost client while it slept: it committed the insert, which the client could
		// not know; a retry would have written it twice
		await().atMost(WAIT).until(() -> (Long) schema.scalar("SELECT count(*) FROM events WHERE id = 9") == 1L);
		assertThat(node.execute("SELECT count(*) AS n FROM events").block(WAIT).one()).containsEntry("n", 1L);
	}

	@Test
	void retryDelaysAgainstARefusedServerFollowTheConfigurationExactlyOnVirtualTime() throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		List<Duration> requestedDelays = new CopyOnWriteArrayList<>();
		String nodeName = "virtual_" + suffix;
		this.node = AsyncSqlNode.builder(schema.node(nodeName, "127.0.0.1", closedPort, Map.of())
			.retry(new RetryConfig(5, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, false))
			.build()).meterRegistry(this.registry).timerScheduler(recording(time, requestedDelays)).build();
		this.meters = new Meters(this.registry, nodeName);

		AtomicReference<Throwable> outcome = new AtomicReference<>();
		Disposable call = this.node.execute("SELECT 1").subscribe(null, outcome::set);
		try {
			for (int retry = 1; retry <= 5; retry++) {
				int expected = retry;
				// the attempt fails for real (connection refused); its retry then waits on virtual time only
				await().atMost(WAIT).until(() -> requestedDelays.size() == expected);
				assertThat(outcome.get()).isNull();
				time.advanceTimeBy(requestedDelays.get(retry - 1));
			}
			await().atMost(WAIT).until(() -> outcome.get() != null);
		}
		finally {
			call.dispose();
		}
		assertThat(requestedDelays).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
				Duration.ofMillis(800), Duration.ofMillis(1000));
		assertThat(time.now(TimeUnit.MILLISECONDS)).isEqualTo(2500);
		assertThat(outcome.get()).isInstanceOfSatisfying(RetryExhaustedException.class, ex -> {
			assertThat(ex.attempts()).isEqualTo(6);
			assertThat(ex.reason()).isEqualTo(TransientReason.CONNECTION);
		});
		assertThat(this.meters.retries("connection")).isEqualTo(5);
		assertThat(this.meters.exhausted()).isEqualTo(1);
	}

	// a virtual-time scheduler that notes the delay of every timed task it is given
	private static Scheduler recording(VirtualTimeScheduler time, List<Duration> delays) {
		return new Scheduler() {

			@Override
			public Disposable schedule(Runnable task) {
				return time.schedule(task);
			}

			@Override
			public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
				delays.add(Duration.ofNanos(unit.toNanos(delay)));
				return time.schedule(task, delay, unit);
			}

			@Override
			public long now(TimeUnit unit) {
				return time.now(unit);
			}

			@Override
			public Worker createWorker() {
				Worker worker = time.createWorker();
				return new Worker() {

					@Override
					public Disposable schedule(Runnable task) {
						return worker.schedule(task);
					}

					@Override
					public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
						delays.add(Duration.ofNanos(unit.toNanos(delay)));
						return worker.schedule(task, delay, unit);
					}

					@Override
					public void dispose() {
						worker.dispose();
					}

					@Override
					public boolean isDisposed() {
						return worker.isDisposed();
					}

				};
			}

		};
	}

}
