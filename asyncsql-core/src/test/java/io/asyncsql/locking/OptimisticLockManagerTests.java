package io.asyncsql.locking;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.OptimisticLockingFailureException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptimisticLockManagerTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	private SimpleMeterRegistry meters;

	private OptimisticLockManager locks;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("locking");
		schema.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, owner text, balance numeric(19,2) NOT NULL, "
				+ "tags text[] NOT NULL DEFAULT '{}', note text, version bigint NOT NULL DEFAULT 1)",
				"CREATE TABLE update_statements (n int NOT NULL)",
				"CREATE FUNCTION count_update() RETURNS trigger LANGUAGE plpgsql AS "
						+ "$$ BEGIN UPDATE update_statements SET n = n + 1; RETURN NULL; END $$",
				"CREATE TRIGGER count_updates AFTER UPDATE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION count_update()");
		node = AsyncSqlNode.builder(schema.node("locking").pool(io.asyncsql.core.PoolSettings.builder().maxSize(8).build())
			.build()).build();
	}

	@AfterAll
	static void dropSchema() {
		node.close();
		schema.close();
	}

	@BeforeEach
	void reset() {
		schema.sql("TRUNCATE accounts, update_statements", "INSERT INTO update_statements VALUES (0)",
				"INSERT INTO accounts (id, owner, balance, tags, version) VALUES (1, 'ada', 100.00, '{a}', 1), "
						+ "(2, 'grace', 50.00, '{}', 1)");
		this.meters = new SimpleMeterRegistry();
		this.locks = new OptimisticLockManager(new LockingSettings("version", "id", 3, Duration.ofMillis(5), 2.0,
				ConflictResolution.RETRY, 100), this.meters, Schedulers.parallel(), Clock.systemUTC());
	}

	private static long updateStatements() {
		return ((Number) schema.scalar("SELECT n FROM update_statements")).longValue();
	}

	private static void bumpVersion(long id) {
		schema.sql("UPDATE accounts SET version = version + 1, note = 'other writer' WHERE id = " + id);
	}

	@Test
	void readWithVersion() {
		VersionedRecord record = this.locks.readWithVersion(node, "accounts", 1L).block(WAIT);
		assertThat(record.version()).isEqualTo(1);
		assertThat(record.get("owner")).isEqualTo("ada");
		assertThat(this.locks.readWithVersion(node, "accounts", 99L).blockOptional(WAIT)).isEmpty();
		assertThat(this.locks.metrics().totalOperations()).isZero();
	}

	@Test
	void updateAtTheExpectedVersionSucceedsInOneStatement() {
		LockResult result = this.locks.updateWithVersion(node, "accounts", 1L,
				Map.of("owner", "John Updated", "note", "john@updated.com"), 1).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.SUCCESS);
		assertThat(result.newVersion()).isEqualTo(2);
		assertThat(result.retryCount()).isZero();
		assertThat(result.record()).containsEntry("owner", "John Updated").containsEntry("version", 2L);
		assertThat(updateStatements()).isEqualTo(1);
		assertThat(schema.scalar("SELECT version FROM accounts WHERE id = 1")).isEqualTo(2L);
	}

	@Test
	void failFastMakesExactlyOneAttempt() {
		bumpVersion(1);
		long before = updateStatements();
		LockResult result = this.locks.updateWithVersion(node, VersionedUpdate.of("accounts", 1L, 1)
			.set("owner", "x").strategy(ConflictResolution.FAIL_FAST).build()).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.VERSION_CONFLICT);
		assertThat(result.conflict().expectedVersion()).isEqualTo(1);
		assertThat(result.conflict().currentVersion()).isEqualTo(2);
		assertThat(updateStatements() - before).isEqualTo(1);
		assertThat(schema.scalar("SELECT owner FROM accounts WHERE id = 1")).isEqualTo("ada");
		assertThatThrownBy(result::orThrow).isInstanceOf(OptimisticLockConflictException.class)
			.isInstanceOf(OptimisticLockingFailureException.class)
			.hasMessageContaining("expected version 1, current 2");
	}

	@Test
	void missingRowIsNotFound() {
		LockResult result = this.locks.updateWithVersion(node, "accounts", 42L, Map.of("owner", "x"), 1).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.RECORD_NOT_FOUND);
		assertThat(this.meters.get("asyncsql.lock.operations").tag("outcome", "not_found").counter().count()).isEqualTo(1);
	}

	@Test
	void retryReappliesStaticChangesOnTheFreshVersion() {
		bumpVersion(1);
		LockResult result = this.locks.updateWithVersion(node, "accounts", 1L, Map.of("owner", "ada lovelace"), 1)
			.block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.SUCCESS);
		assertThat(result.retryCount()).isEqualTo(1);
		assertThat(result.newVersion()).isEqualTo(3);
		assertThat(schema.query("SELECT owner, note FROM accounts WHERE id = 1"))
			.containsExactly(List.of("ada lovelace", "other writer"));
		assertThat(this.meters.get("asyncsql.lock.conflicts").tag("resolution", "retry").counter().count()).isEqualTo(1);
	}

	@Test
	void concurrentComputedIncrementsNeverLoseAnUpdate() {
		int writers = 20;
		List<LockResult> results = Flux.range(0, writers)
			.flatMap(i -> this.locks.update(node, "accounts", 1L,
					row -> Map.of("balance", ((BigDecimal) row.get("balance")).add(BigDecimal.ONE))), writers)
			.collectList()
			.block(WAIT);
		long succeeded = results.stream().filter(LockResult::isSuccess).count();
		long exhausted = results.stream().filter(r -> r.status() == LockStatus.RETRY_EXHAUSTED).count();
		assertThat(succeeded + exhausted).isEqualTo(writers);
		BigDecimal balance = (BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 1");
		// every success is in the balance, every shortfall is an exhausted result: nothing was lost or doubled
		assertThat(balance).isEqualByComparingTo(new BigDecimal(100 + succeeded));
		assertThat(schema.scalar("SELECT version FROM accounts WHERE id = 1")).isEqualTo(1 + succeeded);
		LockMetrics metrics = this.locks.metrics();
		assertThat(metrics.totalOperations()).isEqualTo(writers);
		assertThat(metrics.successfulOperations()).isEqualTo(succeeded);
		assertThat(metrics.retriesPerformed()).isEqualTo(results.stream().mapToInt(LockResult::retryCount).sum());
	}

	@Test
	void concurrentIncrementsAllSucceedWithEnoughRetries() {
		OptimisticLockManager patient = new OptimisticLockManager(new LockingSettings("version", "id", 50,
				Duration.ofMillis(2), 1.2, ConflictResolution.RETRY, 100), null, Schedulers.parallel(), Clock.systemUTC());
		List<LockResult> results = Flux.range(0, 20)
			.flatMap(i -> patient.update(node, "accounts", 2L,
					row -> Map.of("balance", ((BigDecimal) row.get("balance")).add(BigDecimal.ONE))), 20)
			.collectList()
			.block(WAIT);
		assertThat(results).allMatch(LockResult::isSuccess);
		assertThat((BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 2"))
			.isEqualByComparingTo("70.00");
	}

	@Test
	void mergeAppliesFieldsTheOtherWriterDidNotTouch() {
		VersionedRecord base = this.locks.readWithVersion(node, "accounts", 1L).block(WAIT);
		bumpVersion(1); // the other writer changed note
		LockResult result = this.locks.updateWithVersion(node, VersionedUpdate.of("accounts", 1L, base.version())
			.set("owner", "ada byron").mergeAgainst(base.data()).build()).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.MERGED);
		assertThat(result.newVersion()).isEqualTo(3);
		assertThat(schema.query("SELECT owner, note FROM accounts WHERE id = 1"))
			.containsExactly(List.of("ada byron", "other writer"));
	}

	@Test
	void mergeOfAFieldBothChangedWithoutARuleIsAConflict() {
		VersionedRecord base = this.locks.readWithVersion(node, "accounts", 1L).block(WAIT);
		schema.sql("UPDATE accounts SET owner = 'theirs', version = version + 1 WHERE id = 1");
		LockResult result = this.locks.updateWithVersion(node, VersionedUpdate.of("accounts", 1L, base.version())
			.set("owner", "ours").mergeAgainst(base.data()).build()).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.MERGE_CONFLICT);
		assertThat(result.conflict().conflictingFields()).containsExactly("owner");
		assertThat(result.conflict().currentVersion()).isEqualTo(2);
		assertThat(schema.scalar("SELECT owner FROM accounts WHERE id = 1")).isEqualTo("theirs");
		assertThat(this.locks.metrics().mergeConflicts()).isEqualTo(1);
	}

	@Test
	void concurrentMergesWithNumericDeltaAndListUnionKeepEveryChange() {
		VersionedRecord base = this.locks.readWithVersion(node, "accounts", 1L).block(WAIT);
		OptimisticLockManager patient = new OptimisticLockManager(new LockingSettings("version", "id", 50,
				Duration.ofMillis(2), 1.2, ConflictResolution.MERGE, 100), null, Schedulers.parallel(), Clock.systemUTC());
		List<LockResult> results = Flux.range(1, 10)
			.flatMap(i -> patient.updateWithVersion(node, VersionedUpdate.of("accounts", 1L, base.version())
				.set("balance", ((BigDecimal) base.get("balance")).add(BigDecimal.valueOf(i)))
				.set("tags", List.of("a", "t" + i))
				.mergeAgainst(base.data())
				.mergeRule("balance", MergeRule.NUMERIC_DELTA)
				.mergeRule("tags", MergeRule.LIST_UNION)
				.build()), 10)
			.collectList()
			.block(WAIT);
		assertThat(results).allMatch(LockResult::isSuccess);
		assertThat(results).filteredOn(r -> r.status() == LockStatus.MERGED).hasSizeGreaterThan(0);
		assertThat((BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("155.00");
		assertThat(schema.scalar("SELECT array_length(tags, 1) FROM accounts WHERE id = 1")).isEqualTo(11);
	}

	@Test
	void lastWriterWinsOverridesAndReportsTheConflict() {
		bumpVersion(1);
		LockResult result = this.locks.updateWithVersion(node, VersionedUpdate.of("accounts", 1L, 1)
			.set("owner", "mine").strategy(ConflictResolution.LAST_WRITER_WINS).build()).block(WAIT);
		assertThat(result.status()).isEqualTo(LockStatus.SUCCESS);
		assertThat(result.forced()).isTrue();
		assertThat(result.newVersion()).isEqualTo(3);
		assertThat(result.conflict().currentVersion()).isEqualTo(2);
		assertThat(this.meters.get("asyncsql.lock.operations").tag("outcome", "forced").counter().count()).isEqualTo(1);
		assertThat(this.meters.get("asyncsql.lock.conflicts").tag("resolution", "last_writer_wins").counter().count())
			.isEqualTo(1);
	}

	@Test
	void retriesEndInRetryExhausted() {
		OptimisticLockManager impatient = new OptimisticLockManager(new LockingSettings("version", "id", 2,
				Duration.ofMillis(1), 1.0, ConflictResolution.RETRY, 100), this.meters, Schedulers.parallel(),
				Clock.systemUTC());
		// a trigger that silently drops every update that would set owner = 'never', so each attempt misses
		schema.sql("CREATE FUNCTION drop_never() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN IF NEW.owner = 'never' THEN RETURN NULL; END IF; RETURN NEW; END $$",
				"CREATE TRIGGER never_applies BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION drop_never()");
		LockResult result;
		try {
			result = impatient.update(node, "accounts", 1L, row -> Map.of("owner", "never")).block(WAIT);
		}
		finally {
			schema.sql("DROP TRIGGER never_applies ON accounts", "DROP FUNCTION drop_never()");
		}
		assertThat(result.status()).isEqualTo(LockStatus.RETRY_EXHAUSTED);
		assertThat(result.retryCount()).isEqualTo(2);
		assertThat(schema.scalar("SELECT owner FROM accounts WHERE id = 1")).isEqualTo("ada");
		assertThat(this.meters.get("asyncsql.lock.retries").summary().totalAmount()).isEqualTo(2);
	}

	@Test
	void historyAnalysisAndBatch() {
		bumpVersion(1);
		bumpVersion(2);
		List<LockResult> results = this.locks.batchUpdateWithVersion(node, "accounts", List.of(
				VersionedUpdate.of("accounts", 1L, 1).set("note", "x").strategy(ConflictResolution.FAIL_FAST).build(),
				VersionedUpdate.of("accounts", 2L, 2).set("note", "y").build(),
				VersionedUpdate.of("accounts", 3L, 1).set("note", "z").build())).collectList().block(WAIT);
		BatchLockSummary summary = BatchLockSummary.of(results);
		assertThat(summary).isEqualTo(new BatchLockSummary(3, 1, 1, 1, 1.0 / 3));
		List<ConflictRecord> history = this.locks.conflictHistory(10);
		assertThat(history).hasSize(1);
		assertThat(history.get(0).table()).isEqualTo("accounts");
		assertThat(history.get(0).recordId()).isEqualTo(1L);
		assertThat(history.get(0).resolution()).isEqualTo(ConflictResolution.FAIL_FAST);
		ConflictAnalysis analysis = this.locks.analyzeConflicts();
		assertThat(analysis.hotspotTables()).containsExactly(Map.entry("accounts", 1L));
		assertThat(analysis.recommendations()).isNotEmpty();
		assertThatThrownBy(() -> this.locks.batchUpdateWithVersion(node, "accounts",
				List.of(VersionedUpdate.of("other", 1L, 1).set("a", 1).build())).blockLast(WAIT))
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void historyIsBoundedAndNewestFirst() {
		OptimisticLockManager small = new OptimisticLockManager(new LockingSettings("version", "id", 0,
				Duration.ZERO, 1.0, ConflictResolution.FAIL_FAST, 3), null, Schedulers.parallel(), Clock.systemUTC());
		IntStream.range(0, 5).forEach(i -> small.updateWithVersion(node, "accounts", 1L, Map.of("note", "n" + i), 0)
			.block(WAIT));
		List<ConflictRecord> history = small.conflictHistory(10);
		assertThat(history).hasSize(3);
		assertThat(history.get(0).timestamp()).isAfterOrEqualTo(history.get(2).timestamp());
	}

	@Test
	void identifiersAreCheckedAndManagedColumnsProtected() {
		// refused as the Mono's error, never thrown by the call itself
		Mono<LockResult> badTable = this.locks.updateWithVersion(node, "accounts; DROP TABLE accounts", 1L,
				Map.of("owner", "x"), 1);
		assertThatThrownBy(() -> badTable.block(WAIT)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("table");
		assertThatThrownBy(() -> this.locks.updateWithVersion(node, "accounts", 1L, Map.of("owner = 'x' --", "y"), 1)
			.block(WAIT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column");
		assertThatThrownBy(() -> this.locks.updateWithVersion(node, "accounts", 1L, Map.of("version", 9), 1)
			.block(WAIT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managed");
		Mono<VersionedRecord> badRead = this.locks.readWithVersion(node, "x y", 1L);
		assertThatThrownBy(() -> badRead.block(WAIT)).isInstanceOf(IllegalArgumentException.class);
		Mono<LockResult> badUpdate = this.locks.update(node, "accounts", 1L, row -> Map.of("id", 2));
		assertThatThrownBy(() -> badUpdate.block(WAIT)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("managed");
		assertThat(schema.scalar("SELECT count(*) FROM accounts")).isEqualTo(2L);
	}

	@Test
	void seedWorkflowInsideATransaction() {
		BigDecimal deposit = new BigDecimal("25.00");
		node.inTransaction(tx -> this.locks.readWithVersion(node, "accounts", 1L)
			.flatMap(account -> this.locks.updateWithVersion(node, "accounts", 1L,
					Map.of("balance", ((BigDecimal) account.get("balance")).add(deposit)), account.version()))
			.map(LockResult::orThrow)).blockLast(WAIT);
		assertThat((BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 1")).isEqualByComparingTo("125.00");
	}

}
