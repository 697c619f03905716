package io.asyncsql.core.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Statement timeouts end the statement on the server, not only on the client: {@code pg_stat_activity} shows it
 * gone. A cancelled write certainly did not commit and says so; a statement the server cannot be asked about
 * (the network holds everything) is abandoned with its connection; a cancel request that may arrive late never
 * reaches another caller's statement. Validation is off on these nodes because they call pg_sleep on purpose.
 */
class StatementTimeoutTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static String suffix;

	private SimpleMeterRegistry registry;

	private AsyncSqlNode node;

	private TcpProxy proxy;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("timeouts");
		suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		schema.sql("CREATE TABLE events (id int NOT NULL)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@BeforeEach
	void reset() {
		schema.sql("TRUNCATE events");
		this.registry = new SimpleMeterRegistry();
	}

	@AfterEach
	void close() {
		if (this.node != null) {
			AsyncSqlNode closing = this.node;
			await().atMost(WAIT).untilAsserted(() -> assertThat(closing.pool().stats().acquired()).isZero());
			closing.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
	}

	private AsyncSqlNode node(String name, UnaryOperator<NodeSettings.Builder> settings) {
		return node(name, settings, Schedulers.parallel());
	}

	private AsyncSqlNode node(String name, UnaryOperator<NodeSettings.Builder> settings, Scheduler timer) {
		NodeSettings.Builder builder = schema.node(name + "_" + suffix)
			.validateQueries(false)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).build());
		this.node = AsyncSqlNode.builder(settings.apply(builder).build())
			.meterRegistry(this.registry)
			.timerScheduler(timer)
			.build();
		return this.node;
	}

	/**
	 * A node behind a proxy whose client-side timers (the cancel request, the wait for an outcome) run on virtual
	 * time, so the test decides when they fire relative to what the network lets through.
	 */
	private AsyncSqlNode nodeViaProxy(String name, VirtualTimeScheduler time) {
		this.proxy = TcpProxy.to(schema.database());
		return node(name, b -> b.connection(schema.database().connection(this.proxy.host(), this.proxy.port(),
				Map.of("search_path", schema.name()))), time);
	}

	private long running(String prefix) {
		return (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'asyncsql-"
				+ this.node.name() + "' AND state = 'active' AND query LIKE '" + prefix + "%'");
	}

	private Object pid() {
		return this.node.execute("SELECT pg_backend_pid() AS pid").block(WAIT).one().get("pid");
	}

	@Test
	void queryTimeoutCancelsTheStatementOnTheServerAndKeepsTheConnection() {
		AsyncSqlNode node = node("query_timeout", b -> b);
		Object pid = pid();
		long start = System.nanoTime();
		assertThatThrownBy(() -> node.execute(Query.of("SELECT pg_sleep(10)").timeout(Duration.ofMillis(300))).block(WAIT))
			.isInstanceOfSatisfying(QueryTimeoutException.class, ex -> {
				assertThat(ex.sqlState()).isEqualTo("57014");
				assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(300));
				assertThat(ex.attempts()).isEqualTo(1);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(running("SELECT pg_sleep")).isZero();
		// the cancel request was used up by the statement it cancelled: the connection is reused safely
		assertThat(pid()).isEqualTo(pid);
		assertThat(new Meters(this.registry, node.name()).retries()).isZero();
	}

	@Test
	void writeCancelledByTheSessionTimeoutCertainlyDidNotCommit() {
		AsyncSqlNode node = node("session_timeout", b -> b.timeout(Duration.ofMillis(400)));
		assertThatThrownBy(() -> node.execute("INSERT INTO events (id) SELECT 1 FROM pg_sleep(10)").block(WAIT))
			.isInstanceOf(QueryTimeoutException.class)
			.isNotInstanceOf(CommitOutcomeUnknownException.class);
		assertThat(running("INSERT INTO events")).isZero();
		assertThat((Long) schema.scalar("SELECT count(*) FROM events")).isZero();
		assertThat(new Meters(this.registry, node.name()).retries()).isZero();
	}

	@Test
	void timeoutInsideABlockRollsItBackWithoutRetry() {
		AsyncSqlNode node = node("block_timeout", b -> b);
		assertThatThrownBy(() -> node.inTransaction(tx -> tx.execute("INSERT INTO events (id) VALUES (1)")
			.then(tx.execute(Query.of("SELECT pg_sleep(10)").timeout(Duration.ofMillis(300))))).blockLast(WAIT))
			.isInstanceOf(QueryTimeoutException.class);
		assertThat(running("SELECT pg_sleep")).isZero();
		assertThat((Long) schema.scalar("SELECT count(*) FROM events")).isZero();
		assertThat(new Meters(this.registry, node.name()).retries()).isZero();
		assertThat(new Meters(this.registry, node.name()).transactions("rollback")).isEqualTo(1);
	}

	@Test
	void statementOnAServerThatStopsAnsweringIsAbandonedAndItsConnectionDropped() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		AsyncSqlNode node = nodeViaProxy("held", time);
		Object pid = pid();
		CompletableFuture<QueryResult> read = node.execute(Query.of("SELECT pg_sleep(10)").timeout(Duration.ofMillis(300)))
			.toFuture();
		await().atMost(WAIT).until(() -> running("SELECT pg_sleep") == 1);
		// nothing gets through any more, not even the cancel request sent at the timeout
		this.proxy.hold();
		time.advanceTimeBy(Duration.ofMillis(300));
		time.advanceTimeBy(Duration.ofMillis(1999));
		assertThat(read).as("waiting for an outcome after the cancel request").isNotDone();
		time.advanceTimeBy(Duration.ofMillis(1));
		assertThatThrownBy(read::join).cause().isInstanceOfSatisfying(QueryTimeoutException.class,
				ex -> assertThat(ex).hasMessageContaining("did not respond to cancellation"));
		await().atMost(WAIT).until(() -> node.pool().stats().acquired() == 0);

		// once the network flows again the held cancel request reaches the server and ends the statement there
		this.proxy.release();
		await().atMost(WAIT).until(() -> running("SELECT pg_sleep") == 0);
		assertThat(pid()).as("the abandoned connection was not reused").isNotEqualTo(pid);
	}

	@Test
	void abandonedWriteHasAnUnknownOutcome() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		AsyncSqlNode node = nodeViaProxy("held_write", time);
		pid();
		CompletableFuture<QueryResult> write = node
			.execute(Query.of("INSERT INTO events (id) SELECT 5 FROM pg_sleep(2)").timeout(Duration.ofMillis(300)))
			.toFuture();
		await().atMost(WAIT).until(() -> running("INSERT INTO events") == 1);
		this.proxy.hold();
		time.advanceTimeBy(Duration.ofMillis(300).plusSeconds(2));
		assertThatThrownBy(write::join).cause().isInstanceOfSatisfying(CommitOutcomeUnknownException.class,
				ex -> assertThat(ex.attempts()).isEqualTo(1));
		// meanwhile the server, which the held cancel request never reached, finishes and commits the write
		await().atMost(WAIT).until(() -> (Long) schema.scalar("SELECT count(*) FROM events WHERE id = 5") == 1L);
		this.proxy.release();
		assertThat(new Meters(this.registry, node.name()).retries()).isZero();
	}

	@Test
	void aCommitThatGetsNoAnswerHasAnUnknownOutcomeAndDropsItsConnection() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		this.proxy = TcpProxy.to(schema.database());
		AsyncSqlNode node = node("held_commit", b -> b.timeout(Duration.ofSeconds(1))
			.connection(schema.database().connection(this.proxy.host(), this.proxy.port(),
					Map.of("search_path", schema.name()))), time);
		Object pid = pid();
		SqlTransaction tx = node.beginTransaction().block(WAIT);
		tx.execute("INSERT INTO events (id) VALUES (7)").block(WAIT);
		this.proxy.hold();
		CompletableFuture<Void> commit = tx.commit().toFuture();
		// the wait is the node timeout plus the wait for a cancelled statement's answer
		time.advanceTimeBy(Duration.ofSeconds(1).plusMillis(1999));
		assertThat(commit).as("waiting for the answer to COMMIT").isNotDone();
		time.advanceTimeBy(Duration.ofMillis(1));
		assertThatThrownBy(commit::join).cause().isInstanceOfSatisfying(CommitOutcomeUnknownException.class,
				ex -> assertThat(ex).hasMessageContaining("COMMIT got no answer within 3000 ms"));
		await().atMost(WAIT).until(() -> node.pool().stats().acquired() == 0);
		this.proxy.release();
		assertThat(pid()).as("the connection that left COMMIT unanswered was not reused").isNotEqualTo(pid);
		assertThat(new Meters(this.registry, node.name()).transactions("rollback")).isEqualTo(1);
	}

	@Test
	void lateCancelRequestNeverCancelsTheNextStatement() {
		VirtualTimeScheduler time = VirtualTimeScheduler.create();
		AsyncSqlNode node = nodeViaProxy("late_cancel", time);
		CompletableFuture<QueryResult> first = node
			.execute(Query.of("SELECT pg_backend_pid() AS pid, 1 AS done FROM pg_sleep(2)").timeout(Duration.ofMillis(600)))
			.toFuture();
		await().atMost(WAIT).until(() -> running("SELECT pg_backend_pid") == 1);
		// the statement's answer and the cancel request sent at its timeout are both held ...
		this.proxy.hold();
		time.advanceTimeBy(Duration.ofMillis(600));
		Object pid = schema.scalar("SELECT pid FROM pg_stat_activity WHERE application_name = 'asyncsql-" + node.name()
				+ "'");
		// ... until the statement has finished on the server
		await().atMost(WAIT).until(() -> "idle".equals(schema.scalar("SELECT state FROM pg_stat_activity WHERE pid = "
				+ pid)));
		this.proxy.release();

		// it finished before the cancel arrived, so it succeeded
		assertThat(first.join().one()).containsEntry("done", 1);
		// and the session the late cancel request targets is not used again: the next statement runs elsewhere
		QueryResult next = node.execute("SELECT pg_backend_pid() AS pid, 2 AS done FROM pg_sleep(0.3)").block(WAIT);
		assertThat(next.one()).containsEntry("done", 2);
		assertThat(next.one().get("pid")).isNotEqualTo(pid);
	}

}
