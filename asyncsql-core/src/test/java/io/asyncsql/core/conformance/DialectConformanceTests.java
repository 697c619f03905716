package io.asyncsql.core.conformance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.BatchResult;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.TransactionStateException;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.locking.ConflictResolution;
import io.asyncsql.locking.LockResult;
import io.asyncsql.locking.LockStatus;
import io.asyncsql.locking.LockingSettings;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.VersionedRecord;
import io.asyncsql.locking.VersionedUpdate;
import io.asyncsql.test.TestTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every dialect must have, run against each real database by a subclass: statements and fetch modes
 * in every transaction mode, row counts, parameters and IN lists, transactions, batches, streams, the
 * classification and retry of real lock and deadlock failures, timeouts, validation and the optimistic locking
 * strategies. Dialect-specific features are tested by the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DialectConformanceTests {

	protected static final Duration WAIT = Duration.ofSeconds(30);

	protected TestTarget target;

	protected ConnectionPools pools;

	protected final Map<TransactionMode, AsyncSqlNode> nodes = new HashMap<>();

	/** @return a fresh database for this class */
	protected abstract TestTarget createTarget();

	/** @return a statement that runs for several seconds on this database */
	protected abstract String slowStatement();

	/** @return a call of a function that validation refuses on this database even with allow-admin */
	protected abstract String dangerousStatement();

	@BeforeAll
	void createDatabase() {
		this.target = createTarget();
		this.target.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, owner varchar(100) NOT NULL, "
				+ "balance numeric(19,2) NOT NULL, active boolean NOT NULL, version bigint NOT NULL)",
				"CREATE TABLE archive (id bigint, owner varchar(100))");
		this.pools = new ConnectionPools();
		for (TransactionMode mode : TransactionMode.values()) {
			this.nodes.put(mode, AsyncSqlNode.builder(this.target.node("conform_" + mode.name().toLowerCase())
				.transactionMode(mode).build()).pools(this.pools).build());
		}
	}

	@AfterAll
	void dropDatabase() {
		if (this.pools != null) {
			this.pools.close();
		}
		if (this.target != null) {
			this.target.close();
		}
	}

	@BeforeEach
	void rows() {
		this.target.sql("DELETE FROM archive", "DELETE FROM accounts",
				"INSERT INTO accounts (id, owner, balance, active, version) VALUES (1, 'ada', 100.00, true, 1), "
						+ "(2, 'grace', 50.00, true, 1), (3, 'linus', 0.00, false, 1)");
	}

	protected AsyncSqlNode auto() {
		return this.nodes.get(TransactionMode.AUTO);
	}

	protected void awaitNoConnectionInUse(AsyncSqlNode node) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
	}

	private static Number number(Object value) {
		return (Number) value;
	}

	// ---------------------------------------------------------------- statements

	@ParameterizedTest
	@EnumSource(TransactionMode.class)
	void fetchModesInEveryTransactionMode(TransactionMode mode) {
		AsyncSqlNode node = this.nodes.get(mode);
		QueryResult one = node.execute("SELECT id, owner FROM accounts ORDER BY id", Map.of(), FetchMode.ONE).block(WAIT);
		assertThat(one.rows()).hasSize(1);
		assertThat(number(one.one().get("id")).longValue()).isEqualTo(1);
		assertThat(one.columns()).containsExactly("id", "owner");
		QueryResult many = node.execute(Query.of("SELECT id FROM accounts ORDER BY id").fetchMode(FetchMode.MANY)
			.fetchSize(2)).block(WAIT);
		assertThat(many.rows()).hasSize(2);
		QueryResult all = node.execute("SELECT id FROM accounts WHERE active = :active ORDER BY id",
				Map.of("active", true)).block(WAIT);
		assertThat(all.rows()).extracting(row -> number(row.get("id")).longValue()).containsExactly(1L, 2L);
		QueryResult none = node.execute("SELECT id FROM accounts WHERE id = :id", Map.of("id", 99), FetchMode.ONE)
			.block(WAIT);
		assertThat(none.one()).isNull();
		assertThat(one.databaseType()).isEqualTo(this.target.type());
	}

	@Test
	void rowCountsAreWhatTheDatabaseReports() {
		AsyncSqlNode node = auto();
		assertThat(node.execute("INSERT INTO accounts (id, owner, balance, active, version) VALUES "
				+ "(:a, 'x', 1, true, 1), (:b, 'y', 1, true, 1)", Map.of("a", 10, "b", 11)).block(WAIT).rowCount())
			.isEqualTo(2);
		assertThat(node.execute("INSERT INTO archive (id, owner) SELECT id, owner FROM accounts WHERE id > :min",
				Map.of("min", 2)).block(WAIT).rowCount()).isEqualTo(3);
		assertThat(node.execute("UPDATE accounts SET active = false WHERE active = :active", Map.of("active", true))
			.block(WAIT).rowCount()).isEqualTo(4);
		assertThat(node.execute("DELETE FROM archive WHERE id >= :id", Map.of("id", 10)).block(WAIT).rowCount())
			.isEqualTo(2);
		assertThat(node.execute("UPDATE accounts SET owner = 'z' WHERE id = 404").block(WAIT).rowCount()).isZero();
	}

	@Test
	void longBeyondIntegerRangeAndNulls() {
		long big = (1L << 40) + 3;
		auto().execute("INSERT INTO accounts (id, owner, balance, active, version) VALUES (:id, :owner, 0, true, 1)",
				Map.of("id", big, "owner", "big")).block(WAIT);
		assertThat(number(auto().execute("SELECT id FROM accounts WHERE id = :id", Map.of("id", big)).block(WAIT).one()
			.get("id")).longValue()).isEqualTo(big);
		Map<String, Object> nulls = new HashMap<>();
		nulls.put("id", big);
		nulls.put("owner", null);
		assertThatThrownBy(() -> auto().execute("UPDATE accounts SET owner = :owner WHERE id = :id", nulls).block(WAIT))
			.isInstanceOf(IntegrityViolationException.class); // NOT NULL column: the server refuses, not the driver
		this.target.sql("ALTER TABLE archive ADD note varchar(20)");
		try {
			Map<String, Object> note = new HashMap<>();
			note.put("note", null);
			auto().execute("INSERT INTO archive (id, note) VALUES (1, :note)", note).block(WAIT);
			assertThat(this.target.count("SELECT count(*) FROM archive WHERE note IS NULL")).isEqualTo(1);
		}
		finally {
			this.target.sql("ALTER TABLE archive DROP COLUMN note");
		}
	}

	@Test
	void parametersInsideLiteralsAndCommentsStayText() {
		QueryResult result = auto().execute("SELECT ':id' AS lit, owner /* :id */ FROM accounts WHERE id = :id -- :id\n",
				Map.of("id", 1)).block(WAIT);
		assertThat(result.one()).containsEntry("lit", ":id").containsEntry("owner", "ada");
	}

	@Test
	void missingAndUnknownParametersFailBeforeAnyRoundTrip() {
		try (AsyncSqlNode fresh = AsyncSqlNode.builder(this.target.node("fresh").sharePool(false).build()).build()) {
			assertThatThrownBy(() -> fresh.execute("SELECT * FROM accounts WHERE id = :id", Map.of()).block(WAIT))
				.isInstanceOf(ParameterBindingException.class).hasMessageContaining(":id");
			assertThatThrownBy(() -> fresh.execute("SELECT * FROM accounts WHERE id = :id", Map.of("id", 1, "x", 2))
				.block(WAIT)).isInstanceOf(ParameterBindingException.class).hasMessageContaining("'x'");
			assertThat(fresh.pool().stats().allocated()).isZero();
		}
	}

	@Test
	void inListsExpandAndEmptyListsMatchNothingOrEverything() {
		assertThat(auto().execute("SELECT id FROM accounts WHERE id IN (:ids) ORDER BY id", Map.of("ids", List.of(1, 3)))
			.block(WAIT).rows()).extracting(row -> number(row.get("id")).longValue()).containsExactly(1L, 3L);
		assertThat(auto().execute("SELECT id FROM accounts WHERE id IN (:ids)", Map.of("ids", List.of())).block(WAIT)
			.rows()).isEmpty();
		assertThat(auto().execute("SELECT id FROM accounts WHERE active = true AND id NOT IN (:ids)",
				Map.of("ids", List.of())).block(WAIT).rows()).hasSize(2);
	}

	@Test
	void validationRefusesBeforeTheDatabase() {
		assertThatThrownBy(() -> auto().execute("DROP TABLE accounts").block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class, ex -> assertThat(ex.rule()).isEqualTo("admin_statement"));
		assertThatThrownBy(() -> auto().execute(dangerousStatement()).block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("dangerous_function"));
		assertThatThrownBy(() -> auto().execute("SELECT owner FROM accounts WHERE id = 1 OR 1 = 1").block(WAIT))
			.isInstanceOfSatisfying(QueryValidationException.class,
					ex -> assertThat(ex.rule()).isEqualTo("injection_tautology"));
		assertThat(this.target.count("SELECT count(*) FROM accounts")).isEqualTo(3);
	}

	@Test
	void statementTimeoutCancelsAndTheConnectionStaysUsable() {
		try (AsyncSqlNode slow = AsyncSqlNode.builder(this.target.node("slow").sharePool(false).validateQueries(false)
			.timeout(Duration.ofMillis(500)).retry(RetryConfig.NONE).build()).build()) {
			assertThatThrownBy(() -> slow.execute(slowStatement()).block(WAIT)).isInstanceOf(QueryTimeoutException.class);
			assertThat(number(slow.execute("SELECT count(*) AS n FROM accounts").block(WAIT).one().get("n")).longValue())
				.isEqualTo(3);
			awaitNoConnectionInUse(slow);
		}
	}

	// ---------------------------------------------------------------- transactions

	@Test
	void explicitTransactionsCommitRollBackAndEndOnAFailedStatement() {
		AsyncSqlNode manual = this.nodes.get(TransactionMode.MANUAL);
		SqlTransaction committed = manual.beginTransaction().block(WAIT);
		committed.execute("UPDATE accounts SET balance = balance - 10 WHERE id = 1").block(WAIT);
		committed.execute("UPDATE accounts SET balance = balance + 10 WHERE id = 2").block(WAIT);
		committed.commit().block(WAIT);
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("90");
		SqlTransaction rolledBack = manual.beginTransaction().block(WAIT);
		rolledBack.execute("UPDATE accounts SET balance = 0 WHERE id = 1").block(WAIT);
		rolledBack.rollback().block(WAIT);
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("90");
		SqlTransaction failing = manual.beginTransaction().block(WAIT);
		failing.execute("UPDATE accounts SET balance = 1 WHERE id = 2").block(WAIT);
		assertThatThrownBy(() -> failing.execute("INSERT INTO accounts (id, owner, balance, active, version) VALUES "
				+ "(1, 'dup', 0, true, 1)").block(WAIT)).isInstanceOf(UniqueViolationException.class);
		assertThat(failing.isActive()).isFalse();
		assertThatThrownBy(() -> failing.commit().block(WAIT)).isInstanceOf(TransactionStateException.class);
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 2")).isEqualByComparingTo("60");
		awaitNoConnectionInUse(manual);
	}

	@Test
	void inTransactionCommitsRollsBackAndIsJoinedByNodeCalls() {
		AsyncSqlNode manual = this.nodes.get(TransactionMode.MANUAL);
		AsyncSqlNode none = this.nodes.get(TransactionMode.NONE);
		auto().inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 7 WHERE id = 1")
			.then(manual.execute("UPDATE accounts SET balance = 8 WHERE id = 2"))
			// the NONE node reads on its own connection and does not see the uncommitted update
			.then(none.execute("SELECT balance FROM accounts WHERE id = 1"))
			.doOnNext(result -> assertThat((BigDecimal) result.one().get("balance")).isEqualByComparingTo("100")))
			.blockLast(WAIT);
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 2")).isEqualByComparingTo("8");
		assertThatThrownBy(() -> auto().inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
			.then(auto().execute("UPDATE accounts SET balance = 0 WHERE id = 2"))
			.then(Mono.error(new IllegalStateException("undo")))).blockLast(WAIT)).hasMessage("undo");
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("7");
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 2")).isEqualByComparingTo("8");
		awaitNoConnectionInUse(auto());
	}

	@Test
	void batchesReportRealTotalsAndAreAtomicInAutoMode() {
		List<Map<String, Object>> sets = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sets.add(Map.of("id", 100 + i, "owner", "o" + (i % 2)));
		}
		assertThat(auto().executeMany("INSERT INTO archive (id, owner) VALUES (:id, :owner)", sets).block(WAIT))
			.isEqualTo(new BatchResult(20, 20));
		assertThat(auto().executeMany("UPDATE archive SET owner = 'x' WHERE owner = :owner",
				List.of(Map.of("owner", "o0"), Map.of("owner", "o1"), Map.of("owner", "none"))).block(WAIT))
			.isEqualTo(new BatchResult(20, 3));
		assertThatThrownBy(() -> auto().executeMany("INSERT INTO accounts (id, owner, balance, active, version) VALUES "
				+ "(:id, 'b', 0, true, 1)", List.of(Map.of("id", 50), Map.of("id", 51), Map.of("id", 1))).block(WAIT))
			.isInstanceOf(UniqueViolationException.class);
		assertThat(this.target.count("SELECT count(*) FROM accounts WHERE id IN (50, 51)")).isZero();
	}

	@Test
	void streamsHonourBackpressureAndReleaseTheConnectionOnCancel() {
		List<Map<String, Object>> sets = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			sets.add(Map.of("id", 1000 + i));
		}
		auto().executeMany("INSERT INTO archive (id) VALUES (:id)", sets).block(WAIT);
		StepVerifier.create(auto().stream(Query.of("SELECT id FROM archive ORDER BY id").fetchSize(50)), 0)
			.thenRequest(1)
			.assertNext(row -> assertThat(number(row.get("id")).longValue()).isEqualTo(1000))
			.thenRequest(499)
			.expectNextCount(499)
			.expectComplete()
			.verify(WAIT);
		StepVerifier.create(auto().stream("SELECT id FROM archive ORDER BY id", Map.of()).take(5))
			.expectNextCount(5)
			.expectComplete()
			.verify(WAIT);
		awaitNoConnectionInUse(auto());
	}

	// ---------------------------------------------------------------- resilience

	@Test
	void lockWaitTimeoutIsClassifiedAndRetried() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode impatient = AsyncSqlNode.builder(this.target.node("impatient", this.target.shortLockTimeout())
			.sharePool(false).retry(new RetryConfig(5, Duration.ofMillis(200), Duration.ofSeconds(1), 1.0, false)).build())
			.meterRegistry(meters).build()) {
			SqlTransaction holder = auto().beginTransaction().block(WAIT);
			holder.execute("UPDATE accounts SET balance = 1 WHERE id = 3").block(WAIT);
			Mono<QueryResult> waiting = impatient.execute("UPDATE accounts SET balance = 2 WHERE id = 3").cache();
			waiting.subscribe(null, error -> { });
			await().atMost(WAIT).until(() -> meters.find("asyncsql.retries")
				.tag("reason", TransientReason.LOCK_NOT_AVAILABLE.tag()).counter() != null);
			holder.rollback().block(WAIT);
			assertThat(waiting.block(WAIT).rowCount()).isEqualTo(1);
			assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 3"))
				.isEqualByComparingTo("2");
		}
	}

	@Test
	void deadlockVictimBlockIsRetriedAndBothTransfersLand() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(this.target.node("deadlocking", this.target.shortLockTimeout())
			.sharePool(false).retry(new RetryConfig(5, Duration.ofMillis(20), Duration.ofMillis(200), 2.0, true)).build())
			.meterRegistry(meters).build()) {
			CountDownLatch bothLocked = new CountDownLatch(2);
			AtomicInteger attempts = new AtomicInteger();
			Flux<QueryResult> oneToTwo = node.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")
				.then(holdUntilBothLocked(bothLocked, attempts))
				.then(tx.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2")));
			Flux<QueryResult> twoToOne = node.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 2")
				.then(holdUntilBothLocked(bothLocked, attempts))
				.then(tx.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1")));
			Flux.merge(oneToTwo.subscribeOn(Schedulers.boundedElastic()), twoToOne.subscribeOn(Schedulers.boundedElastic()))
				.blockLast(WAIT);
			assertThat(attempts.get()).isGreaterThan(2);
			assertThat(meters.find("asyncsql.retries").counters()).isNotEmpty();
			assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("100");
			assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 2")).isEqualByComparingTo("50");
			awaitNoConnectionInUse(node);
		}
	}

	// each block waits, on its first attempt only, until both blocks hold their first row lock
	private static Mono<Void> holdUntilBothLocked(CountDownLatch bothLocked, AtomicInteger attempts) {
		return Mono.fromRunnable(() -> {
			if (attempts.incrementAndGet() <= 2) {
				bothLocked.countDown();
				try {
					bothLocked.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}).subscribeOn(Schedulers.boundedElastic()).then();
	}

	// ---------------------------------------------------------------- optimistic locking

	@Test
	void lockingStrategies() {
		OptimisticLockManager locks = new OptimisticLockManager(new LockingSettings("version", "id", 20,
				Duration.ofMillis(2), 1.5, ConflictResolution.RETRY, 100), null, Schedulers.parallel(),
				java.time.Clock.systemUTC());
		VersionedRecord read = locks.readWithVersion(auto(), "accounts", 1L).block(WAIT);
		assertThat(read.version()).isEqualTo(1);
		LockResult updated = locks.updateWithVersion(auto(), "accounts", 1L, Map.of("owner", "ada l."), 1).block(WAIT);
		assertThat(updated.status()).isEqualTo(LockStatus.SUCCESS);
		assertThat(updated.newVersion()).isEqualTo(2);
		assertThat(updated.record()).containsEntry("owner", "ada l.");
		LockResult stale = locks.updateWithVersion(auto(), VersionedUpdate.of("accounts", 1L, 1).set("owner", "x")
			.strategy(ConflictResolution.FAIL_FAST).build()).block(WAIT);
		assertThat(stale.status()).isEqualTo(LockStatus.VERSION_CONFLICT);
		assertThat(stale.conflict().currentVersion()).isEqualTo(2);
		LockResult forced = locks.updateWithVersion(auto(), VersionedUpdate.of("accounts", 1L, 1).set("owner", "y")
			.strategy(ConflictResolution.LAST_WRITER_WINS).build()).block(WAIT);
		assertThat(forced.forced()).isTrue();
		assertThat(forced.newVersion()).isEqualTo(3);
		VersionedRecord base = locks.readWithVersion(auto(), "accounts", 2L).block(WAIT);
		this.target.sql("UPDATE accounts SET active = false, version = version + 1 WHERE id = 2");
		LockResult merged = locks.updateWithVersion(auto(), VersionedUpdate.of("accounts", 2L, base.version())
			.set("owner", "grace h.").mergeAgainst(base.data()).build()).block(WAIT);
		assertThat(merged.status()).isEqualTo(LockStatus.MERGED);
		assertThat(this.target.query("SELECT owner, active FROM accounts WHERE id = 2").get(0)).containsExactly("grace h.",
				false);
		assertThat(locks.updateWithVersion(auto(), "accounts", 404L, Map.of("owner", "x"), 1).block(WAIT).status())
			.isEqualTo(LockStatus.RECORD_NOT_FOUND);
	}

	@Test
	void concurrentComputedIncrementsAllLand() {
		OptimisticLockManager locks = new OptimisticLockManager(new LockingSettings("version", "id", 50,
				Duration.ofMillis(2), 1.2, ConflictResolution.RETRY, 100), null, Schedulers.parallel(),
				java.time.Clock.systemUTC());
		List<LockResult> results = Flux.range(0, 10)
			.flatMap(i -> locks.update(auto(), "accounts", 3L,
					row -> Map.of("balance", ((BigDecimal) row.get("balance")).add(BigDecimal.ONE))), 10)
			.collectList()
			.block(WAIT);
		assertThat(results).allMatch(LockResult::isSuccess);
		assertThat((BigDecimal) this.target.scalar("SELECT balance FROM accounts WHERE id = 3")).isEqualByComparingTo("10");
		assertThat(this.target.count("SELECT version FROM accounts WHERE id = 3")).isEqualTo(11);
	}

}
