package io.asyncsql.core.resilience;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionConflictException;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.TransactionStateException;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.IsolationLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Each transient failure provoked for real on the PostgreSQL server, and what the node does with it: a deadlock
 * and a serialization failure retried as whole transactions, a lock timeout retried for an autocommit write but
 * never inside a transaction, terminated backends, a refused connection, a role's connection limit and an
 * exhausted pool. Every test checks the data (each effect exactly once), the exception and the counters.
 */
class TransientFailureRecoveryTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final RetryConfig QUICK_RETRIES = new RetryConfig(5, Duration.ofMillis(50), Duration.ofMillis(200),
			2.0, true);

	private static PostgresSchema schema;

	private static String suffix;

	private SimpleMeterRegistry registry;

	private AsyncSqlNode node;

	private Meters meters;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("transient");
		suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
		schema.sql("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)",
				"CREATE TABLE doctors (id int PRIMARY KEY, on_call boolean NOT NULL)",
				"CREATE TABLE events (id int NOT NULL)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		this.registry = new SimpleMeterRegistry();
		schema.sql("TRUNCATE counters, doctors, events", "INSERT INTO counters VALUES (1, 0), (2, 0), (3, 0)",
				"INSERT INTO doctors VALUES (1, true), (2, true)");
	}

	@AfterEach
	void closeNode() {
		if (this.node != null) {
			AsyncSqlNode closing = this.node;
			await().atMost(WAIT).untilAsserted(() -> assertThat(closing.pool().stats().acquired()).isZero());
			closing.close();
			this.node = null;
		}
	}

	private AsyncSqlNode node(String name, UnaryOperator<NodeSettings.Builder> settings) {
		return node(name, Map.of(), settings);
	}

	private AsyncSqlNode node(String name, Map<String, String> sessionOptions, UnaryOperator<NodeSettings.Builder> settings) {
		String nodeName = name + "_" + suffix;
		NodeSettings.Builder builder = schema.node(nodeName, schema.database().host(), schema.database().port(),
				sessionOptions).retry(QUICK_RETRIES);
		this.node = AsyncSqlNode.builder(settings.apply(builder).build()).meterRegistry(this.registry).build();
		this.meters = new Meters(this.registry, nodeName);
		return this.node;
	}

	private static int counter(int id) {
		return ((Number) schema.scalar("SELECT n FROM counters WHERE id = " + id)).intValue();
	}

	private static String qualified(String table) {
		return schema.name() + "." + table;
	}

	private long activeBackends(String applicationName, String queryPrefix) {
		return (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + applicationName
				+ "' AND state = 'active' AND query LIKE '" + queryPrefix + "%'");
	}

	private static String applicationName(AsyncSqlNode node) {
		return "asyncsql-" + node.name();
	}

	// ---------------------------------------------------------------- deadlock and serialization

	@Test
	void deadlockVictimBlockIsRetriedWithAFreshTransactionAndBothSucceed() {
		AsyncSqlNode node = node("deadlock", b -> b);
		Sinks.Empty<Void> bothHoldTheirFirstLock = Sinks.empty();
		AtomicInteger holding = new AtomicInteger();
		AtomicInteger attemptsA = new AtomicInteger();
		AtomicInteger attemptsB = new AtomicInteger();
		Function<SqlTransaction, Mono<String>> a = lockInOrder(1, 2, "a", attemptsA, holding, bothHoldTheirFirstLock);
		Function<SqlTransaction, Mono<String>> b = lockInOrder(2, 1, "b", attemptsB, holding, bothHoldTheirFirstLock);

		List<String> done = Flux.merge(node.inTransaction(a), node.inTransaction(b)).collectList().block(WAIT);

		assertThat(done).containsExactlyInAnyOrder("a", "b");
		// exactly one block was the victim and ran twice
		assertThat(attemptsA.get() + attemptsB.get()).isEqualTo(3);
		// each block's two increments happened exactly once: the victim's first attempt was rolled back
		assertThat(counter(1)).isEqualTo(2);
		assertThat(counter(2)).isEqualTo(2);
		assertThat(this.meters.retries("deadlock")).isEqualTo(1);
		assertThat(this.meters.retries()).isEqualTo(1);
		assertThat(this.meters.exhausted()).isZero();
		assertThat(this.meters.transactions("commit")).isEqualTo(2);
		assertThat(this.meters.transactions("rollback")).isGreaterThanOrEqualTo(1);
	}

	private static Function<SqlTransaction, Mono<String>> lockInOrder(int first, int second, String name,
			AtomicInteger attempts, AtomicInteger holding, Sinks.Empty<Void> bothHold) {
		String increment = "UPDATE counters SET n = n + 1 WHERE id = :id";
		return tx -> {
			boolean firstAttempt = attempts.incrementAndGet() == 1;
			Mono<Void> meet = firstAttempt ? Mono.defer(() -> {
				if (holding.incrementAndGet() == 2) {
					bothHold.tryEmitEmpty();
				}
				return bothHold.asMono();
			}) : Mono.empty();
			return tx.execute(increment, Map.of("id", first))
				.then(meet)
				.then(tx.execute(increment, Map.of("id", second)))
				.thenReturn(name);
		};
	}

	@Test
	void serializationFailureOfASerializableBlockIsRetriedOnAFreshSnapshot() {
		AsyncSqlNode node = node("serializable", b -> b);
		// write skew: both doctors read that two are on call, each goes off call; SERIALIZABLE refuses the second
		Sinks.Empty<Void> aRead = Sinks.empty();
		Sinks.Empty<Void> bRead = Sinks.empty();
		Sinks.Empty<Void> aWrote = Sinks.empty();
		Sinks.Empty<Void> aCommitted = Sinks.empty();
		AtomicInteger attemptsA = new AtomicInteger();
		AtomicInteger attemptsB = new AtomicInteger();

		Flux<String> a = node.inTransaction(IsolationLevel.SERIALIZABLE, tx -> {
			boolean first = attemptsA.incrementAndGet() == 1;
			return goOffCallIfOthersAre(tx, 1, first ? aRead : null, first ? bRead.asMono() : Mono.empty(),
					first ? aWrote : null, Mono.empty());
		}).doOnComplete(aCommitted::tryEmitEmpty);
		Flux<String> b = node.inTransaction(IsolationLevel.SERIALIZABLE, tx -> {
			boolean first = attemptsB.incrementAndGet() == 1;
			return goOffCallIfOthersAre(tx, 2, first ? bRead : null, first ? aRead.asMono() : Mono.empty(), null,
					first ? aWrote.asMono().then(aCommitted.asMono()) : Mono.empty());
		});

		List<String> outcomes = Flux.merge(a, b).collectList().block(WAIT);

		// the first committer went off call; the other was refused at COMMIT, retried, and saw it must stay
		assertThat(outcomes).containsExactlyInAnyOrder("1 off call", "2 stays on call");
		assertThat(attemptsA.get()).isEqualTo(1);
		assertThat(attemptsB.get()).isEqualTo(2);
		assertThat((Long) schema.scalar("SELECT count(*) FROM doctors WHERE on_call")).isEqualTo(1L);
		assertThat(this.meters.retries("serialization")).isEqualTo(1);
		assertThat(this.meters.retries()).isEqualTo(1);
	}

	@Test
	void isolationLevelAppliesToItsTransactionOnly() {
		AsyncSqlNode node = node("isolation", b -> b.pool(PoolSettings.builder().initialSize(0).maxSize(1).build()));
		SqlTransaction repeatable = node.beginTransaction(IsolationLevel.REPEATABLE_READ).block(WAIT);
		assertThat(repeatable.execute("SHOW transaction_isolation").block(WAIT).one())
			.containsEntry("transaction_isolation", "repeatable read");
		repeatable.commit().block(WAIT);
		// the same (only) connection is back at the session's default
		assertThat(node.inTransaction(tx -> tx.execute("SHOW transaction_isolation")).blockLast(WAIT).one())
			.containsEntry("transaction_isolation", "read committed");
		assertThat(node.execute("SHOW transaction_isolation").block(WAIT).one())
			.containsEntry("transaction_isolation", "read committed");
	}

	private static Mono<String> goOffCallIfOthersAre(SqlTransaction tx, int me, Sinks.Empty<Void> afterRead,
			Mono<Void> beforeWrite, Sinks.Empty<Void> afterWrite, Mono<Void> beforeCommit) {
		return tx.execute("SHOW transaction_isolation")
			.doOnNext(result -> assertThat(result.one()).containsEntry("transaction_isolation", "serializable"))
			.then(tx.execute("SELECT count(*) AS on_call FROM doctors WHERE on_call"))
			.map(result -> ((Number) result.one().get("on_call")).intValue())
			.doOnNext(onCall -> {
				if (afterRead != null) {
					afterRead.tryEmitEmpty();
				}
			})
			.delayUntil(onCall -> beforeWrite)
			.flatMap(onCall -> (onCall >= 2)
					? tx.execute("UPDATE doctors SET on_call = false WHERE id = :id", Map.of("id", me))
						.thenReturn(me + " off call")
					: Mono.just(me + " stays on call"))
			.doOnNext(outcome -> {
				if (afterWrite != null) {
					afterWrite.tryEmitEmpty();
				}
			})
			.delayUntil(outcome -> beforeCommit);
	}

	// ---------------------------------------------------------------- lock not available

	@Test
	void lockTimeoutOnAnAutocommitWriteIsRetriedUntilTheLockIsFree() {
		AsyncSqlNode node = node("lock_auto", Map.of("lock_timeout", "100ms"), b -> b.retry(new RetryConfig(20,
				Duration.ofMillis(50), Duration.ofMillis(200), 2.0, true)));
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			CompletableFuture<QueryResult> update = node.execute("UPDATE counters SET n = n + 1 WHERE id = 1").toFuture();
			await().atMost(WAIT).until(() -> this.meters.retries("lock_not_available") >= 1);
			assertThat(update).isNotDone();
			other.close();
			assertThat(update.join().rowCount()).isEqualTo(1);
		}
		// refused attempts did nothing; the successful one incremented once
		assertThat(counter(1)).isEqualTo(1);
		assertThat(this.meters.retries()).isEqualTo(this.meters.retries("lock_not_available"));
		assertThat(this.meters.exhausted()).isZero();
	}

	@Test
	void lockTimeoutInsideASqlTransactionIsNotRetriedAndRollsTheTransactionBack() {
		AsyncSqlNode node = node("lock_tx", Map.of("lock_timeout", "100ms"), b -> b);
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			SqlTransaction tx = node.beginTransaction().block(WAIT);
			tx.execute("UPDATE counters SET n = n + 1 WHERE id = 2").block(WAIT);
			assertThatThrownBy(() -> tx.execute("UPDATE counters SET n = n + 1 WHERE id = 1").block(WAIT))
				.isInstanceOfSatisfying(TransactionConflictException.class, ex -> {
					assertThat(ex.sqlState()).isEqualTo("55P03");
					assertThat(ex.attempts()).isEqualTo(1);
				});
			assertThat(tx.isActive()).isFalse();
			assertThatThrownBy(() -> tx.commit().block(WAIT)).isInstanceOf(TransactionStateException.class);
		}
		assertThat(counter(2)).as("the earlier statement was rolled back").isZero();
		assertThat(this.meters.retries()).isZero();
	}

	@Test
	void lockTimeoutInsideASpringTransactionIsNotRetried() {
		AsyncSqlNode node = node("lock_spring", Map.of("lock_timeout", "100ms"), b -> b);
		TransactionalOperator operator = TransactionalOperator
			.create(new R2dbcTransactionManager(node.pool().connectionFactory()));
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			Mono<QueryResult> work = node.execute("UPDATE counters SET n = n + 1 WHERE id = 2")
				.then(node.execute("UPDATE counters SET n = n + 1 WHERE id = 1"));
			assertThatThrownBy(() -> operator.transactional(work).block(WAIT))
				.isInstanceOfSatisfying(TransactionConflictException.class, ex -> {
					assertThat(ex.sqlState()).isEqualTo("55P03");
					assertThat(ex.attempts()).isEqualTo(1);
				});
		}
		assertThat(counter(2)).as("Spring rolled the transaction back").isZero();
		assertThat(counter(1)).isZero();
		assertThat(this.meters.retries()).isZero();
	}

	@Test
	void lockTimeoutInsideInTransactionRetriesTheWholeBlock() {
		AsyncSqlNode node = node("lock_block", Map.of("lock_timeout", "100ms"), b -> b.retry(new RetryConfig(20,
				Duration.ofMillis(50), Duration.ofMillis(200), 2.0, true)));
		AtomicInteger attempts = new AtomicInteger();
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			CompletableFuture<List<Long>> block = node.inTransaction(tx -> {
				attempts.incrementAndGet();
				return tx.execute("UPDATE counters SET n = n + 1 WHERE id = 2")
					.then(tx.execute("UPDATE counters SET n = n + 1 WHERE id = 1"))
					.map(QueryResult::rowCount);
			}).collectList().toFuture();
			await().atMost(WAIT).until(() -> this.meters.retries("lock_not_available") >= 2);
			other.close();
			assertThat(block.join()).containsExactly(1L);
		}
		assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
		assertThat(counter(1)).isEqualTo(1);
		assertThat(counter(2)).as("each failed attempt's first statement was rolled back").isEqualTo(1);
	}

	@Test
	void autocommitBatchIsNotResentAfterALaterSetFails() {
		AsyncSqlNode node = node("batch_none", Map.of("lock_timeout", "100ms"),
				b -> b.transactionMode(TransactionMode.NONE));
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			assertThatThrownBy(() -> node.executeMany("UPDATE counters SET n = n + 1 WHERE id = :id",
					List.of(Map.of("id", 2), Map.of("id", 1), Map.of("id", 3))).block(WAIT))
				.isInstanceOfSatisfying(CommitOutcomeUnknownException.class, ex -> {
					assertThat(ex.attempts()).isEqualTo(1);
					assertThat(ex.sqlState()).isEqualTo("55P03");
				});
		}
		// the first set committed on its own, once; the batch was not sent again
		assertThat(counter(2)).isEqualTo(1);
		assertThat(counter(1)).isZero();
		assertThat(counter(3)).isZero();
		assertThat(this.meters.retries()).isZero();
	}

	@Test
	void batchInItsOwnTransactionIsRetriedAsAWhole() {
		AsyncSqlNode node = node("batch_auto", Map.of("lock_timeout", "100ms"), b -> b.retry(new RetryConfig(20,
				Duration.ofMillis(50), Duration.ofMillis(200), 2.0, true)));
		try (OpenTransaction other = OpenTransaction.begin(schema.database(), null, schema.name(),
				"SELECT * FROM counters WHERE id = 1 FOR UPDATE")) {
			CompletableFuture<Long> batch = node.executeMany("UPDATE counters SET n = n + 1 WHERE id = :id",
					List.of(Map.of("id", 2), Map.of("id", 1), Map.of("id", 3)))
				.map(result -> result.affectedRows())
				.toFuture();
			await().atMost(WAIT).until(() -> this.meters.retries("lock_not_available") >= 1);
			other.close();
			assertThat(batch.join()).isEqualTo(3);
		}
		assertThat(List.of(counter(1), counter(2), counter(3))).containsExactly(1, 1, 1);
	}

	// ---------------------------------------------------------------- terminated backends

	@Test
	void readWhoseBackendIsTerminatedIsRetriedOnANewConnection() {
		AsyncSqlNode node = node("terminate_read", b -> b.validateQueries(false)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).build()));
		String application = applicationName(node);
		CompletableFuture<QueryResult> read = node.execute("SELECT 42 AS answer FROM pg_sleep(1.5)").toFuture();
		await().atMost(WAIT).until(() -> activeBackends(application, "SELECT 42") == 1);
		Object victim = schema.scalar("SELECT pid FROM pg_stat_activity WHERE application_name = '" + application + "'");
		assertThat(schema.scalar("SELECT pg_terminate_backend(" + victim + ")")).isEqualTo(true);

		assertThat(read.join().one()).containsEntry("answer", 42);
		assertThat(this.meters.retries("shutdown") + this.meters.retries("connection")).isEqualTo(1);
		Object replacement = schema.scalar("SELECT pid FROM pg_stat_activity WHERE application_name = '" + application + "'");
		assertThat(replacement).isNotEqualTo(victim);
	}

	@Test
	void writeWhoseBackendIsTerminatedMidStatementIsNotRetried() {
		AsyncSqlNode node = node("terminate_write", b -> b.validateQueries(false)
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).build()));
		String application = applicationName(node);
		CompletableFuture<QueryResult> write = node.execute("INSERT INTO events (id) SELECT 7 FROM pg_sleep(1.5)")
			.toFuture();
		await().atMost(WAIT).until(() -> activeBackends(application, "INSERT INTO events") == 1);
		schema.scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + application
				+ "'");

		assertThatThrownBy(write::join).hasCauseInstanceOf(CommitOutcomeUnknownException.class)
			.cause()
			.satisfies(ex -> {
				CommitOutcomeUnknownException unknown = (CommitOutcomeUnknownException) ex;
				assertThat(unknown.attempts()).isEqualTo(1);
				assertThat(unknown.sqlState()).isIn("57P01", "08006");
				assertThat(unknown.nodeName()).isEqualTo(node.name());
			});
		assertThat(this.meters.retries()).isZero();
		// terminated before its end, the statement was rolled back; it was not sent again
		assertThat((Long) schema.scalar("SELECT count(*) FROM events")).isZero();
		assertThat(node.execute("SELECT 1 AS one").block(WAIT).one()).containsEntry("one", 1);
	}

	@Test
	void idleConnectionsTerminatedByTheServerAreEvictedAndReplaced() {
		AsyncSqlNode node = node("terminate_idle", b -> b.pool(PoolSettings.builder().initialSize(0).maxSize(3).build()));
		String application = applicationName(node);
		// open three connections by holding three transactions at once
		Flux.range(0, 3)
			.flatMap(i -> node.inTransaction(tx -> tx.execute("SELECT pg_backend_pid() AS pid").delayElement(
					Duration.ofMillis(100))))
			.blockLast(WAIT);
		assertThat(node.pool().stats().allocated()).isEqualTo(3);
		List<List<Object>> before = schema.query("SELECT pid FROM pg_stat_activity WHERE application_name = '"
				+ application + "'");
		assertThat(before).hasSize(3);
		schema.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '" + application
				+ "'");
		await().atMost(WAIT).until(() -> schema.query("SELECT pid FROM pg_stat_activity WHERE application_name = '"
				+ application + "'").isEmpty());

		List<Map<String, Object>> after = Flux.range(0, 6)
			.flatMap(i -> node.execute("SELECT pg_backend_pid() AS pid"))
			.map(QueryResult::one)
			.collectList()
			.block(WAIT);
		assertThat(after).hasSize(6);
		assertThat(after).extracting(row -> List.of(row.get("pid"))).doesNotContainAnyElementsOf(before);
		assertThat(this.meters.exhausted()).isZero();
	}

	// ---------------------------------------------------------------- cannot connect

	@Test
	void refusedConnectionIsRetriedThenReportedAsExhausted() throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		String nodeName = "refused_" + suffix;
		this.node = AsyncSqlNode.builder(schema.node(nodeName, "127.0.0.1", closedPort, Map.of())
			.retry(new RetryConfig(3, Duration.ofMillis(20), Duration.ofMillis(100), 2.0, false))
			.build()).meterRegistry(this.registry).build();
		this.meters = new Meters(this.registry, nodeName);

		long start = System.nanoTime();
		// a write: nothing was sent, so it is retried as safely as a read
		assertThatThrownBy(() -> this.node.execute("INSERT INTO events (id) VALUES (1)").block(WAIT))
			.isInstanceOfSatisfying(RetryExhaustedException.class, ex -> {
				assertThat(ex.attempts()).isEqualTo(4);
				assertThat(ex.reason()).isEqualTo(TransientReason.CONNECTION);
				assertThat(ex.sqlState()).isEqualTo("08003");
				assertThat(ex.getCause()).isInstanceOf(ConnectionFailureException.class)
					.hasMessageContaining("127.0.0.1:" + closedPort)
					.hasRootCauseInstanceOf(java.net.ConnectException.class);
			});
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(this.meters.retries("connection")).isEqualTo(3);
		assertThat(this.meters.exhausted()).isEqualTo(1);
	}

	@Test
	void roleConnectionLimitIsRetriedUntilAConnectionIsFree() {
		String role = "asyncsql_limited_" + suffix;
		schema.sql("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 1", "GRANT USAGE ON SCHEMA " + schema.name() + " TO "
				+ role, "GRANT SELECT ON " + qualified("counters") + " TO " + role);
		try {
			String nodeName = "limited_" + suffix;
			this.node = AsyncSqlNode.builder(schema.node(nodeName)
				.connection(new io.asyncsql.core.ConnectionSettings(io.asyncsql.core.DatabaseType.POSTGRESQL, null,
						schema.database().host(), schema.database().port(), schema.database().database(), role, null, null,
						Map.of("search_path", schema.name())))
				.retry(new RetryConfig(30, Duration.ofMillis(50), Duration.ofMillis(200), 2.0, true))
				.build()).meterRegistry(this.registry).build();
			this.meters = new Meters(this.registry, nodeName);
			CompletableFuture<QueryResult> read;
			try (OpenTransaction other = OpenTransaction.begin(schema.database(), role, schema.name())) {
				read = this.node.execute("SELECT count(*) AS n FROM counters").toFuture();
				await().atMost(WAIT).until(() -> this.meters.retries("too_many_connections") >= 1);
				assertThat(read).isNotDone();
			}
			assertThat(read.join().one()).containsEntry("n", 3L);
			assertThat(this.meters.exhausted()).isZero();
		}
		finally {
			if (this.node != null) {
				this.node.close();
				this.node = null;
			}
			schema.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
			await().atMost(WAIT).until(() -> (Long) schema.scalar("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
					+ role + "'") == 0);
			schema.sql("DROP OWNED BY " + role, "DROP ROLE " + role);
		}
	}

	// ---------------------------------------------------------------- pool exhausted

	@Test
	void busyPoolOfOneFailsCallersWithPoolExhaustionWithinTheirBound() {
		AsyncSqlNode node = node("busy", b -> b
			.pool(PoolSettings.builder().initialSize(0).maxSize(1).maxAcquireTime(Duration.ofMillis(200)).build())
			.retry(new RetryConfig(2, Duration.ofMillis(50), Duration.ofMillis(100), 2.0, false)));
		SqlTransaction holder = node.beginTransaction().block(WAIT);
		try {
			long start = System.nanoTime();
			assertThatThrownBy(() -> node.execute("SELECT 1").block(WAIT))
				.isInstanceOfSatisfying(RetryExhaustedException.class, ex -> {
					assertThat(ex.reason()).isEqualTo(TransientReason.POOL_EXHAUSTED);
					assertThat(ex.attempts()).isEqualTo(3);
					assertThat(ex.getCause()).isInstanceOfSatisfying(PoolExhaustedException.class,
							cause -> assertThat(cause.poolName()).isEqualTo(node.pool().name()))
						.hasMessageContaining("max-acquire-time PT0.2S");
				});
			// three waits of max-acquire-time plus 50 + 100 ms of delays, and some slack for a busy machine
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700),
					Duration.ofMillis(3000));
			assertThat(this.meters.retries("pool_exhausted")).isEqualTo(2);
			assertThat(this.meters.exhausted()).isEqualTo(1);
			assertThat(node.pool().stats().pendingAcquire()).isZero();

			// freed while a caller is retrying: the caller gets the connection
			CompletableFuture<QueryResult> waiting = node.execute("SELECT 2 AS two").toFuture();
			await().atMost(WAIT).until(() -> this.meters.retries("pool_exhausted") >= 3);
			holder.rollback().block(WAIT);
			assertThat(waiting.join().one()).containsEntry("two", 2);
		}
		finally {
			holder.rollback().block(WAIT);
		}
	}

}
