package io.asyncsql.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.locking.ConflictResolution;
import io.asyncsql.locking.LockResult;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.OptimisticLockedAspect;
import io.asyncsql.locking.OptimisticLocked;
import io.asyncsql.locking.VersionedUpdate;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptimisticLockedAspectTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final PostgresSchema schema = PostgresSchema.create("aspect");

	private ApplicationContextRunner runner() {
		TestDatabase database = TestDatabases.postgres();
		String prefix = "asyncsql.nodes.accounts.";
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, AopAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.withBean(Deposits.class)
			.withPropertyValues(prefix + "database-type=postgresql", prefix + "host=" + database.host(),
					prefix + "port=" + database.port(), prefix + "database=" + database.database(),
					prefix + "username=" + database.username(), prefix + "options.search_path=" + schema.name(),
					prefix + "pool.max-size=8", "asyncsql.locking.default-conflict-resolution=fail-fast",
					"asyncsql.locking.max-retries=2", "asyncsql.locking.retry-delay=1ms");
	}

	@BeforeAll
	static void tables() {
		schema.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(19,2) NOT NULL, "
				+ "version bigint NOT NULL DEFAULT 1)");
	}

	@BeforeEach
	void reset() {
		schema.sql("TRUNCATE accounts", "INSERT INTO accounts VALUES (1, 0.00, 1)");
	}

	@AfterAll
	static void drop() {
		schema.close();
	}

	@Test
	void concurrentDepositsAllLandEachAttemptInAFreshTransaction() {
		runner().run(context -> {
			Deposits deposits = context.getBean(Deposits.class);
			assertThat(context.getBean(OptimisticLockedAspect.class).getOrder())
				.isLessThan(org.springframework.core.Ordered.LOWEST_PRECEDENCE);
			Flux.range(0, 16).flatMap(i -> deposits.deposit(1L, BigDecimal.ONE), 16).blockLast(WAIT);
			assertThat((BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 1"))
				.isEqualByComparingTo("16.00");
			// conflicts happened, every attempt ran in a transaction of its own
			assertThat(deposits.attempts()).isGreaterThan(16);
			assertThat(deposits.transactionIds()).hasSize(deposits.attempts());
		});
	}

	@Test
	void twentyRecomputingDepositsConvergeWithTheCappedJitteredBackoff() {
		runner().withPropertyValues("asyncsql.locking.max-retry-delay=250ms", "asyncsql.locking.jitter=true")
			.run(context -> {
				assertThat(context.getBean(OptimisticLockManager.class).settings().maxRetryDelay())
					.isEqualTo(Duration.ofMillis(250));
				Deposits deposits = context.getBean(Deposits.class);
				long start = System.nanoTime();
				Flux.range(0, 20).flatMap(i -> deposits.depositBackingOff(1L, BigDecimal.ONE), 20).blockLast(WAIT);
				Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
				assertThat((BigDecimal) schema.scalar("SELECT balance FROM accounts WHERE id = 1"))
					.isEqualByComparingTo("20.00");
				assertThat(elapsed).isLessThan(Duration.ofSeconds(20));
			});
	}

	@Test
	void aMaxRetryDelayBelowTheRetryDelayFailsAtStartup() {
		runner().withPropertyValues("asyncsql.locking.max-retry-delay=0ms")
			.run(context -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("asyncsql.locking.max-retry-delay"));
	}

	@Test
	void conflictsPropagateAfterTheAnnotatedRetries() {
		runner().run(context -> {
			Deposits deposits = context.getBean(Deposits.class);
			assertThatThrownBy(() -> deposits.alwaysConflicting().block(WAIT))
				.isInstanceOf(OptimisticLockingFailureException.class);
			assertThat(deposits.conflictingCalls()).isEqualTo(4); // first call and 3 retries
		});
	}

	@Test
	void plainAndCompletionStageMethodsAreRetriedToo() {
		runner().run(context -> {
			Deposits deposits = context.getBean(Deposits.class);
			assertThat(deposits.plainSucceedsOnThirdCall()).isEqualTo("done");
			assertThat(deposits.plainCalls()).isEqualTo(3);
			assertThat(deposits.futureSucceedsOnSecondCall().toCompletableFuture().get()).isEqualTo("done");
			assertThat(deposits.futureCalls()).isEqualTo(2);
		});
	}

	@Test
	void aspectCanBeSwitchedOff() {
		runner().withPropertyValues("asyncsql.locking.aspect-enabled=false").run(context -> {
			assertThat(context).doesNotHaveBean(OptimisticLockedAspect.class);
			assertThat(context).hasSingleBean(OptimisticLockManager.class);
			Deposits deposits = context.getBean(Deposits.class);
			assertThatThrownBy(deposits::plainSucceedsOnThirdCall).isInstanceOf(OptimisticLockingFailureException.class);
			assertThat(deposits.plainCalls()).isEqualTo(1);
		});
	}

	static class Deposits {

		private final AsyncSqlNode accounts;

		private final OptimisticLockManager locks;

		final AtomicInteger attempts = new AtomicInteger();

		final Set<Object> transactionIds = ConcurrentHashMap.newKeySet();

		final AtomicInteger conflictingCalls = new AtomicInteger();

		final AtomicInteger plainCalls = new AtomicInteger();

		final AtomicInteger futureCalls = new AtomicInteger();

		Deposits(@Qualifier("accounts") AsyncSqlNode accounts, OptimisticLockManager locks) {
			this.accounts = accounts;
			this.locks = locks;
		}

		// accessors, since the test talks to the AOP proxy
		public int attempts() {
			return this.attempts.get();
		}

		public Set<Object> transactionIds() {
			return this.transactionIds;
		}

		public int conflictingCalls() {
			return this.conflictingCalls.get();
		}

		public int plainCalls() {
			return this.plainCalls.get();
		}

		public int futureCalls() {
			return this.futureCalls.get();
		}

		@OptimisticLocked(maxRetries = 100, retryDelay = "2ms", backoffMultiplier = 1.0)
		@Transactional("accountsTransactionManager")
		public Mono<Void> deposit(long id, BigDecimal amount) {
			return this.accounts.execute("SELECT txid_current() AS tx")
				.doOnNext(result -> {
					this.attempts.incrementAndGet();
					this.transactionIds.add(result.one().get("tx"));
				})
				.then(this.locks.readWithVersion(this.accounts, "accounts", id))
				.flatMap(account -> this.locks.updateWithVersion(this.accounts, VersionedUpdate.of("accounts", id,
						account.version()).set("balance", ((BigDecimal) account.get("balance")).add(amount))
					.strategy(ConflictResolution.FAIL_FAST).build()))
				.map(LockResult::orThrow)
				.then();
		}

		// doubling from 2 ms, capped by asyncsql.locking.max-retry-delay, with full jitter
		@OptimisticLocked(maxRetries = 80, retryDelay = "2ms")
		public Mono<Void> depositBackingOff(long id, BigDecimal amount) {
			return this.locks.readWithVersion(this.accounts, "accounts", id)
				.flatMap(account -> this.locks.updateWithVersion(this.accounts, VersionedUpdate.of("accounts", id,
						account.version()).set("balance", ((BigDecimal) account.get("balance")).add(amount))
					.strategy(ConflictResolution.FAIL_FAST).build()))
				.map(LockResult::orThrow)
				.then();
		}

		@OptimisticLocked(maxRetries = 3, retryDelay = "1ms")
		public Mono<Void> alwaysConflicting() {
			return Mono.fromRunnable(this.conflictingCalls::incrementAndGet)
				.then(Mono.error(new OptimisticLockingFailureException("stale")));
		}

		@OptimisticLocked
		public String plainSucceedsOnThirdCall() {
			if (this.plainCalls.incrementAndGet() < 3) {
				throw new OptimisticLockingFailureException("stale");
			}
			return "done";
		}

		@OptimisticLocked
		public CompletionStage<String> futureSucceedsOnSecondCall() {
			if (this.futureCalls.incrementAndGet() < 2) {
				return CompletableFuture.failedFuture(new OptimisticLockingFailureException("stale"));
			}
			return CompletableFuture.completedFuture("done");
		}

	}

}
