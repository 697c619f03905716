package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.locking.ConflictRecord;
import io.asyncsql.locking.ConflictResolution;
import io.asyncsql.locking.LockMetrics;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.OptimisticLocked;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.dao.OptimisticLockingFailureException;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @OptimisticLocked} retrying Spring Data {@code @Version} conflicts counts them where the lock manager
 * counts its own: the {@code asyncsql.lock.*} meters, the lock metrics and the conflict history that
 * {@code /actuator/asyncsql} shows.
 */
class SpringDataVersionConflictMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final PostgresSchema schema = PostgresSchema.create("sdversion");

	@Table("versioned_accounts")
	record Account(@Id @Column("id") Long id, @Column("balance") long balance, @Version @Column("version") Long version) {

		Account deposit(long amount) {
			return new Account(this.id, this.balance + amount, this.version);
		}

	}

	/** Writes through Spring Data with a copy that a concurrent writer made stale, as an HTTP round trip would. */
	static class Ledger {

		private final R2dbcEntityTemplate template;

		final AtomicInteger attempts = new AtomicInteger();

		Ledger(ConnectionFactory connectionFactory) {
			this.template = new R2dbcEntityTemplate(connectionFactory);
		}

		public int attempts() {
			return this.attempts.get();
		}

		// the first attempt writes a copy read before another writer's change; the retry reads afresh
		@OptimisticLocked(maxRetries = 3, retryDelay = "1ms")
		public Mono<Account> depositAfterAConcurrentChange(long id, long amount) {
			return this.template.selectOne(org.springframework.data.relational.core.query.Query.query(
					org.springframework.data.relational.core.query.Criteria.where("id").is(id)), Account.class)
				.flatMap(account -> (this.attempts.incrementAndGet() == 1)
						? this.template.update(account.deposit(1)).thenReturn(account) : Mono.just(account))
				.flatMap(account -> this.template.update(account.deposit(amount)));
		}

		@OptimisticLocked(maxRetries = 2, retryDelay = "1ms")
		public Mono<Account> alwaysStale(long id) {
			return Mono.fromRunnable(this.attempts::incrementAndGet)
				.then(this.template.update(new Account(id, 0, 0L)));
		}

	}

	private ApplicationContextRunner runner() {
		TestDatabase database = TestDatabases.postgres();
		String prefix = "asyncsql.nodes.ledger.";
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, AopAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(Ledger.class)
			.withPropertyValues(prefix + "database-type=postgresql", prefix + "host=" + database.host(),
					prefix + "port=" + database.port(), prefix + "database=" + database.database(),
					prefix + "username=" + database.username(), prefix + "options.search_path=" + schema.name());
	}

	@BeforeAll
	static void tables() {
		schema.sql("CREATE TABLE versioned_accounts (id bigint PRIMARY KEY, balance bigint NOT NULL, "
				+ "version bigint NOT NULL)");
	}

	@BeforeEach
	void reset() {
		schema.sql("TRUNCATE versioned_accounts", "INSERT INTO versioned_accounts VALUES (1, 100, 1)");
	}

	@AfterAll
	static void drop() {
		schema.close();
	}

	@Test
	void aRetriedSpringDataConflictCountsAsAConflictAndASuccessfulOperation() {
		runner().run(context -> {
			Ledger ledger = context.getBean(Ledger.class);
			Account saved = ledger.depositAfterAConcurrentChange(1, 10).block(WAIT);
			assertThat(ledger.attempts()).isEqualTo(2);
			assertThat(saved.balance()).isEqualTo(111);
			assertThat(schema.count("SELECT balance FROM versioned_accounts WHERE id = 1")).isEqualTo(111);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("asyncsql.lock.conflicts").tag("table", "versioned_accounts")
				.tag("resolution", "retry").counter().count()).isEqualTo(1.0);
			assertThat(registry.get("asyncsql.lock.operations").tag("table", "versioned_accounts")
				.tag("outcome", "success").counter().count()).isEqualTo(1.0);
			assertThat(registry.get("asyncsql.lock.retries").tag("table", "versioned_accounts").summary().totalAmount())
				.isEqualTo(1.0);

			OptimisticLockManager manager = context.getBean(OptimisticLockManager.class);
			LockMetrics metrics = manager.metrics();
			assertThat(metrics.versionConflicts()).isEqualTo(1);
			assertThat(metrics.totalOperations()).isEqualTo(1);
			assertThat(metrics.successfulOperations()).isEqualTo(1);
			assertThat(metrics.retriesPerformed()).isEqualTo(1);
			ConflictRecord record = manager.conflictHistory(10).get(0);
			assertThat(record.table()).isEqualTo("versioned_accounts");
			assertThat(record.recordId()).isEqualTo("1");
			assertThat(record.expectedVersion()).isEqualTo(1);
			assertThat(record.resolution()).isEqualTo(ConflictResolution.RETRY);
		});
	}

	@Test
	void aSpringDataConflictThatOutlastsTheRetriesCountsAsExhausted() {
		runner().run(context -> {
			Ledger ledger = context.getBean(Ledger.class);
			assertThatThrownBy(() -> ledger.alwaysStale(1).block(WAIT))
				.isInstanceOf(OptimisticLockingFailureException.class);
			assertThat(ledger.attempts()).isEqualTo(3);

			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("asyncsql.lock.conflicts").tag("table", "versioned_accounts").counter().count())
				.isEqualTo(3.0);
			assertThat(registry.get("asyncsql.lock.operations").tag("table", "versioned_accounts")
				.tag("outcome", "retry_exhausted").counter().count()).isEqualTo(1.0);
			LockMetrics metrics = context.getBean(OptimisticLockManager.class).metrics();
			assertThat(metrics.versionConflicts()).isEqualTo(3);
			assertThat(metrics.totalOperations()).isEqualTo(1);
			assertThat(metrics.successfulOperations()).isZero();
			assertThat(metrics.retriesPerformed()).isEqualTo(2);
		});
	}

}
