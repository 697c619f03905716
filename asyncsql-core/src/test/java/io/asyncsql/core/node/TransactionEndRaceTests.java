package io.asyncsql.core.node;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionStateException;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A statement subscribed while another thread ends its transaction either runs inside the transaction (and is
 * undone with it) or is refused; it never reaches the connection after the {@code ROLLBACK} and commits on its own.
 */
class TransactionEndRaceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int ITERATIONS = 1500;

	private static final String CREDIT = "UPDATE accounts SET balance = balance + 1 WHERE id = :id";

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	private static final ConnectionPools pools = new ConnectionPools();

	private static ExecutorService threads;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("txrace");
		schema.sql("CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL)");
		node = AsyncSqlNode.builder(schema.node("txrace").build()).pools(pools).build();
		threads = Executors.newFixedThreadPool(2);
	}

	@AfterAll
	static void dropSchema() {
		threads.shutdownNow();
		pools.close();
		schema.close();
	}

	@BeforeEach
	void resetRows() {
		schema.sql("TRUNCATE accounts", "INSERT INTO accounts VALUES (1, 0)");
	}

	@Test
	void statementRacingRollbackNeverCommitsOnItsOwn() throws Exception {
		int succeeded = 0;
		int refused = 0;
		AtomicInteger lateFailures = new AtomicInteger();
		for (int i = 0; i < ITERATIONS; i++) {
			SqlTransaction tx = node.beginTransaction().block(WAIT);
			CyclicBarrier start = new CyclicBarrier(2);
			Future<Boolean> credit = threads.submit(() -> {
				start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
				try {
					tx.execute(CREDIT, Map.of("id", 1)).block(WAIT);
					return true;
				}
				catch (TransactionStateException refusedByEndedTransaction) {
					return false;
				}
				catch (DataAccessException sentAfterTheEnd) {
					// the statement reached a connection the transaction had already given back
					lateFailures.incrementAndGet();
					return false;
				}
			});
			Future<?> rollback = threads.submit(() -> {
				start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
				return tx.rollback().block(WAIT);
			});
			rollback.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			if (credit.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				succeeded++;
			}
			else {
				refused++;
			}
		}
		assertNothingCommitted("rollback", succeeded, refused);
		assertThat(lateFailures).as("statements sent after their transaction gave its connection back").hasValue(0);
	}

	@Test
	void statementRacingCancelOfInTransactionNeverCommitsOnItsOwn() throws Exception {
		Scheduler worker = Schedulers.fromExecutor(threads);
		AtomicInteger succeeded = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		for (int i = 0; i < ITERATIONS; i++) {
			CyclicBarrier start = new CyclicBarrier(2);
			CountDownLatch begun = new CountDownLatch(1);
			// the work never completes, so the block can only end by the cancel: nothing in it may ever commit
			Disposable block = node.inTransaction(tx -> {
				begun.countDown();
				return Mono.fromCallable(() -> start.await(WAIT.toSeconds(), TimeUnit.SECONDS))
					.subscribeOn(worker)
					.then(tx.execute(CREDIT, Map.of("id", 1)))
					.doOnSuccess(result -> succeeded.incrementAndGet())
					.doOnError(TransactionStateException.class, error -> refused.incrementAndGet())
					.then(Mono.never());
			}).subscribe(null, error -> { });
			assertThat(begun.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			block.dispose();
		}
		assertNothingCommitted("cancel", succeeded.get(), refused.get());
	}

	private static void assertNothingCommitted(String end, int succeeded, int refused) {
		// every transaction has ended and returned its connection before the balance is read
		await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
		long balance = ((Number) schema.scalar("SELECT balance FROM accounts WHERE id = 1")).longValue();
		System.out.printf("%s race: %d iterations, %d credits ran before the end, %d refused, %d committed on their own%n",
				end, ITERATIONS, succeeded, refused, balance);
		assertThat(balance).as("credits of transactions that were never committed (" + end + " race)").isZero();
	}

}
