package io.asyncsql.core.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.TransactionStateException;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.tx.NodeTransaction;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NodeTransactionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	private static AsyncSqlNode auto;

	private static AsyncSqlNode manual;

	private static AsyncSqlNode none;

	private static final ConnectionPools pools = new ConnectionPools();

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("tx");
		schema.sql("CREATE TABLE accounts (id int PRIMARY KEY, balance numeric(19,2) NOT NULL CHECK (balance >= 0))",
				"CREATE TABLE transfers (id serial PRIMARY KEY, from_account int, to_account int, amount numeric(19,2))");
		auto = AsyncSqlNode.builder(schema.node("tx_auto").build()).pools(pools).build();
		manual = AsyncSqlNode.builder(schema.node("tx_manual").transactionMode(TransactionMode.MANUAL).build())
			.pools(pools).build();
		none = AsyncSqlNode.builder(schema.node("tx_none").transactionMode(TransactionMode.NONE).build())
			.pools(pools).build();
		assertThat(manual.pool()).isSameAs(auto.pool());
		assertThat(none.pool()).isSameAs(auto.pool());
	}

	@AfterAll
	static void dropSchema() {
		pools.close();
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		schema.sql("TRUNCATE accounts, transfers", "INSERT INTO accounts VALUES (1, 500.00), (2, 100.00)");
	}

	private static Mono<Void> transfer(SqlTransaction tx, int from, int to, String amount) {
		Map<String, Object> params = Map.of("amount", new java.math.BigDecimal(amount), "from", from, "to", to);
		return tx.execute("UPDATE accounts SET balance = balance - :amount WHERE id = :from",
				Map.of("amount", params.get("amount"), "from", from))
			.then(tx.execute("UPDATE accounts SET balance = balance + :amount WHERE id = :to",
					Map.of("amount", params.get("amount"), "to", to)))
			.then(tx.execute("INSERT INTO transfers (from_account, to_account, amount) VALUES (:from, :to, :amount)", params))
			.then();
	}

	private static Object balance(int id) {
		return schema.scalar("SELECT balance::text FROM accounts WHERE id = " + id);
	}

	private static void awaitNoConnectionInUse() {
		await().atMost(WAIT).untilAsserted(() -> assertThat(auto.pool().stats().acquired()).isZero());
	}

	@Test
	void manualTransactionCommits() {
		SqlTransaction tx = manual.beginTransaction().block(WAIT);
		assertThat(tx.isActive()).isTrue();
		transfer(tx, 1, 2, "100.00").then(tx.commit()).block(WAIT);
		assertThat(tx.isActive()).isFalse();
		assertThat(balance(1)).isEqualTo("400.00");
		assertThat(balance(2)).isEqualTo("200.00");
		assertThat(schema.scalar("SELECT count(*) FROM transfers")).isEqualTo(1L);
		awaitNoConnectionInUse();
	}

	@Test
	void manualTransactionRollsBack() {
		SqlTransaction tx = manual.beginTransaction().block(WAIT);
		transfer(tx, 1, 2, "100.00").then(tx.rollback()).block(WAIT);
		assertThat(balance(1)).isEqualTo("500.00");
		assertThat(schema.scalar("SELECT count(*) FROM transfers")).isEqualTo(0L);
		awaitNoConnectionInUse();
	}

	@Test
	void usingACompletedTransactionFails() {
		SqlTransaction tx = auto.beginTransaction().block(WAIT);
		tx.commit().block(WAIT);
		assertThatThrownBy(() -> tx.execute("SELECT 1").block(WAIT)).isInstanceOf(TransactionStateException.class)
			.hasMessageContaining("committed");
		assertThatThrownBy(() -> tx.commit().block(WAIT)).isInstanceOf(TransactionStateException.class);
		assertThatThrownBy(() -> tx.rollback().block(WAIT)).isInstanceOf(TransactionStateException.class);
		SqlTransaction rolledBack = auto.beginTransaction().block(WAIT);
		rolledBack.rollback().block(WAIT);
		rolledBack.rollback().block(WAIT); // idempotent
		assertThatThrownBy(() -> rolledBack.execute("SELECT 1").block(WAIT)).isInstanceOf(TransactionStateException.class)
			.hasMessageContaining("rolled back");
	}

	@Test
	void failedStatementRollsTheTransactionBackAtOnce() {
		SqlTransaction tx = manual.beginTransaction().block(WAIT);
		tx.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2").block(WAIT);
		// violates the CHECK constraint
		assertThatThrownBy(() -> tx.execute("UPDATE accounts SET balance = balance - 1000 WHERE id = 1").block(WAIT))
			.isInstanceOfSatisfying(IntegrityViolationException.class, ex -> assertThat(ex.sqlState()).isEqualTo("23514"));
		assertThat(tx.isActive()).isFalse();
		assertThatThrownBy(() -> tx.commit().block(WAIT)).isInstanceOf(TransactionStateException.class)
			.hasMessageContaining("failed statement");
		tx.rollback().block(WAIT);
		assertThat(balance(2)).isEqualTo("100.00");
		awaitNoConnectionInUse();
	}

	@Test
	void abandonedTransactionIsRolledBackAndItsConnectionReturned() {
		try (AsyncSqlNode shortLived = AsyncSqlNode.builder(schema.node("abandoning").sharePool(false)
			.transactionTimeout(Duration.ofMillis(300)).build()).build()) {
			SqlTransaction tx = shortLived.beginTransaction().block(WAIT);
			tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1").block(WAIT);
			assertThat(shortLived.pool().stats().acquired()).isEqualTo(1);
			await().atMost(WAIT).untilAsserted(() -> assertThat(shortLived.pool().stats().acquired()).isZero());
			assertThat(tx.isActive()).isFalse();
			assertThatThrownBy(() -> tx.commit().block(WAIT)).isInstanceOf(TransactionStateException.class)
				.hasMessageContaining("transaction timeout");
			assertThat(balance(1)).isEqualTo("500.00");
		}
	}

	@Test
	void inTransactionCommitsWhenTheWorkCompletes() {
		List<Long> counts = auto.inTransaction(tx -> transfer(tx, 1, 2, "50.00")
			.then(tx.execute("SELECT count(*) AS n FROM transfers")).map(r -> (Long) r.one().get("n"))).collectList()
			.block(WAIT);
		assertThat(counts).containsExactly(1L);
		assertThat(balance(1)).isEqualTo("450.00");
		awaitNoConnectionInUse();
	}

	@Test
	void inTransactionRollsBackWhenTheWorkFails() {
		assertThatThrownBy(() -> auto.inTransaction(tx -> transfer(tx, 1, 2, "50.00")
			.then(Mono.error(new IllegalStateException("business rule")))).blockLast(WAIT))
			.isInstanceOf(IllegalStateException.class).hasMessage("business rule");
		assertThat(balance(1)).isEqualTo("500.00");
		assertThat(schema.scalar("SELECT count(*) FROM transfers")).isEqualTo(0L);
		awaitNoConnectionInUse();
	}

	@Test
	void inTransactionRollsBackWhenCancelled() {
		StepVerifier.create(auto.inTransaction(tx -> transfer(tx, 1, 2, "50.00").thenMany(Flux.never())))
			.expectSubscription()
			.then(() -> await().atMost(WAIT).until(() -> schema.query(
					"SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'transfers' "
					+ "AND l.pid <> pg_backend_pid()").size() > 0))
			.thenCancel()
			.verify(WAIT);
		awaitNoConnectionInUse();
		assertThat(balance(1)).isEqualTo("500.00");
		assertThat(schema.scalar("SELECT count(*) FROM transfers")).isEqualTo(0L);
	}

	@Test
	void aCancelRightAfterBeginHandedTheTransactionOnLeavesItToItsNewOwner() {
		// take(1) cancels upstream as soon as the transaction arrives, before the Mono completes
		SqlTransaction tx = manual.beginTransaction().flux().take(1).blockLast(WAIT);
		assertThat(tx.isActive()).isTrue();
		tx.execute("UPDATE accounts SET balance = 2 WHERE id = 1").block(WAIT);
		assertThat(manual.pool().stats().acquired()).as("the transaction still holds its connection").isEqualTo(1);
		tx.commit().block(WAIT);
		assertThat(balance(1)).isEqualTo("2.00");
		awaitNoConnectionInUse();
	}

	@Test
	void aCancelThatComesAfterTheCommitLeavesTheTransactionCommitted() {
		NodeTransaction tx = (NodeTransaction) manual.beginTransaction().block(WAIT);
		tx.execute("UPDATE accounts SET balance = 1 WHERE id = 1").block(WAIT);
		tx.commit().block(WAIT);
		// what inTransaction does when its caller cancels: a no-op once committed, where rollback() is an error
		tx.rollbackIfActive().block(WAIT);
		assertThatThrownBy(() -> tx.rollback().block(WAIT)).isInstanceOf(TransactionStateException.class)
			.hasMessageContaining("the transaction is committed");
		assertThat(balance(1)).isEqualTo("1.00");
		awaitNoConnectionInUse();
	}

	@Test
	void aCommitAfterAStatementCancelledInFlightSaysNothingWasCommitted() {
		SqlTransaction tx = manual.beginTransaction().block(WAIT);
		tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1").block(WAIT);
		Disposable counting = tx.execute("SELECT count(*) FROM generate_series(1, 2000000000) AS endless").subscribe();
		await().atMost(WAIT).until(() -> schema.query("SELECT 1 FROM pg_stat_activity WHERE query LIKE '%AS endless%' "
				+ "AND state = 'active' AND pid <> pg_backend_pid()").size() > 0);
		// cancelled in flight: the connection's state is unknown, so it is closed and the transaction dies with it
		counting.dispose();

		assertThatThrownBy(() -> tx.commit().block(WAIT)).isInstanceOf(ConnectionFailureException.class)
			.isNotInstanceOf(CommitOutcomeUnknownException.class)
			.hasMessageContaining("nothing was committed");
		assertThat(tx.isActive()).isFalse();
		awaitNoConnectionInUse();
		assertThat(balance(1)).isEqualTo("500.00");
	}

	@ParameterizedTest
	@EnumSource(value = TransactionMode.class, names = { "AUTO", "MANUAL" })
	void nodeCallsInsideInTransactionJoinIt(TransactionMode mode) {
		AsyncSqlNode joining = (mode == TransactionMode.AUTO) ? auto : manual;
		assertThatThrownBy(() -> auto.inTransaction(tx -> joining
			.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
			.then(joining.execute("SELECT balance::text AS b FROM accounts WHERE id = 1"))
			.doOnNext(result -> assertThat(result.one()).containsEntry("b", "0.00"))
			.then(Mono.error(new IllegalStateException("undo")))).blockLast(WAIT))
			.hasMessage("undo");
		assertThat(balance(1)).isEqualTo("500.00");
	}

	@Test
	void noneModeNeverJoins() {
		auto.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
			// the NONE node reads on its own connection: it sees the committed value, not the open update
			.then(none.execute("SELECT balance::text AS b FROM accounts WHERE id = 1"))
			.doOnNext(result -> assertThat(result.one()).containsEntry("b", "500.00"))).blockLast(WAIT);
		assertThat(balance(1)).isEqualTo("0.00");
	}

	@Test
	void nestedInTransactionJoinsTheOuterOne() {
		assertThatThrownBy(() -> auto.inTransaction(outer -> outer.execute("UPDATE accounts SET balance = 1 WHERE id = 1")
			.thenMany(manual.inTransaction(inner -> inner.execute("UPDATE accounts SET balance = 2 WHERE id = 2")))
			.then(Mono.error(new IllegalStateException("outer fails")))).blockLast(WAIT))
			.hasMessage("outer fails");
		assertThat(balance(1)).isEqualTo("500.00");
		assertThat(balance(2)).isEqualTo("100.00");
	}

	@Test
	void springTransactionalOperatorTransactionIsJoined() {
		TransactionalOperator operator = TransactionalOperator
			.create(new R2dbcTransactionManager(auto.pool().connectionFactory()));
		assertThatThrownBy(() -> auto.execute("UPDATE accounts SET balance = 7 WHERE id = 1")
			.then(manual.execute("UPDATE accounts SET balance = 8 WHERE id = 2"))
			.then(Mono.error(new IllegalStateException("spring rollback")))
			.as(operator::transactional)
			.block(WAIT)).hasMessage("spring rollback");
		assertThat(balance(1)).isEqualTo("500.00");
		assertThat(balance(2)).isEqualTo("100.00");
		auto.execute("UPDATE accounts SET balance = 7 WHERE id = 1").as(operator::transactional).block(WAIT);
		assertThat(balance(1)).isEqualTo("7.00");
		awaitNoConnectionInUse();
	}

}
