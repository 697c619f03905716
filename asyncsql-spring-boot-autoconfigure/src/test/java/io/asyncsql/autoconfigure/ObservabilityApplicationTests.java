package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.autoconfigure.observed.ObservedApplication;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.locking.ConflictResolution;
import io.asyncsql.locking.LockStatus;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.VersionedUpdate;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What operators see: every series of the meter table in {@code README.md#observability} in
 * {@code /actuator/prometheus} with the right tags and counts after real queries, a real retry, a rejection, transactions and a lock conflict; {@code /actuator/metrics},
 * {@code /actuator/health} (UP and DOWN nodes) and {@code /actuator/asyncsql}.
 */
@SpringBootTest(classes = ObservedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ObservabilityApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final PostgresSchema schema = PostgresSchema.create("observability");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabases.postgres();
		String ledger = "asyncsql.nodes.ledger.";
		registry.add(ledger + "database-type", () -> "postgresql");
		registry.add(ledger + "host", database::host);
		registry.add(ledger + "port", database::port);
		registry.add(ledger + "database", database::database);
		registry.add(ledger + "username", database::username);
		registry.add(ledger + "options.search_path", schema::name);
		registry.add(ledger + "primary", () -> "true");
		registry.add(ledger + "retry.initial-delay", () -> "5ms");
		registry.add(ledger + "retry.max-retries", () -> "2");
		String dead = "asyncsql.nodes.dead.";
		registry.add(dead + "database-type", () -> "postgresql");
		registry.add(dead + "host", () -> "127.0.0.1");
		registry.add(dead + "port", () -> "1");
		registry.add(dead + "database", () -> "nowhere");
		registry.add(dead + "username", () -> "nobody");
		registry.add(dead + "password", () -> "pw-secret-123");
		registry.add(dead + "retry.max-retries", () -> "0");
		registry.add(dead + "pool.initial-size", () -> "0");
		registry.add("management.endpoints.web.exposure.include", () -> "health,metrics,prometheus,asyncsql");
		registry.add("management.endpoint.health.show-details", () -> "always");
		registry.add("asyncsql.locking.default-conflict-resolution", () -> "fail-fast");
	}

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("ledger")
	private AsyncSqlNode ledger;

	@Autowired
	private OptimisticLockManager locks;

	@BeforeAll
	static void tables() {
		schema.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(19,2), version bigint NOT NULL)",
				"INSERT INTO accounts VALUES (1, 10.00, 1)", "CREATE SEQUENCE attempts",
				// fails with a real serialization failure on its first call only (sequences ignore rollbacks)
				"CREATE FUNCTION flaky() RETURNS int LANGUAGE plpgsql AS $$ BEGIN IF nextval('attempts') = 1 THEN "
						+ "RAISE EXCEPTION 'try again' USING ERRCODE = 'serialization_failure'; END IF; RETURN 1; END $$",
				"CREATE FUNCTION always_conflicting() RETURNS int LANGUAGE plpgsql AS $$ BEGIN "
						+ "RAISE EXCEPTION 'no luck' USING ERRCODE = 'serialization_failure'; END $$");
	}

	@AfterAll
	static void drop() {
		schema.close();
	}

	private WebTestClient http() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).responseTimeout(WAIT).build();
	}

	private void generateActivity() {
		this.ledger.execute("SELECT balance FROM accounts WHERE id = :id", Map.of("id", 1)).block(WAIT);
		this.ledger.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 1").block(WAIT);
		assertThat(this.ledger.execute("SELECT flaky() AS ok").block(WAIT).one()).containsEntry("ok", 1);
		assertThatThrownBy(() -> this.ledger.execute("SELECT always_conflicting()").block(WAIT))
			.isInstanceOf(RetryExhaustedException.class);
		assertThatThrownBy(() -> this.ledger.execute("DROP TABLE accounts").block(WAIT))
			.isInstanceOf(QueryValidationException.class);
		this.ledger.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = balance - 1 WHERE id = 1")).blockLast(WAIT);
		assertThatThrownBy(() -> this.ledger.inTransaction(tx -> tx.execute("UPDATE accounts SET balance = 0 WHERE id = 1")
			.then(Mono.error(new IllegalStateException("undo")))).blockLast(WAIT)).hasMessage("undo");
		assertThat(this.locks.updateWithVersion(this.ledger, VersionedUpdate.of("accounts", 1L, 0)
			.set("balance", 5).strategy(ConflictResolution.FAIL_FAST).build()).block(WAIT).status())
			.isEqualTo(LockStatus.VERSION_CONFLICT);
	}

	@Test
	void prometheusShowsEverySeriesWithItsTagsAndCounts() throws Exception {
		generateActivity();
		String text = http().get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		String promtool = PrometheusText.promtool(text);
		assertThat(promtool).as("promtool check metrics").isEmpty();
		List<PrometheusText.Sample> samples = PrometheusText.parse(text);
		assertThat(value(samples, "asyncsql_queries_seconds_count", Map.of("node", "ledger", "operation", "select",
				"outcome", "success"))).isGreaterThanOrEqualTo(2);
		assertThat(value(samples, "asyncsql_queries_seconds_count", Map.of("node", "ledger", "operation", "update",
				"outcome", "success"))).isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "asyncsql_queries_seconds_count", Map.of("node", "ledger", "operation", "other",
				"outcome", "rejected"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_queries_seconds_count", Map.of("node", "ledger", "operation", "select",
				"outcome", "error"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_retries_total", Map.of("node", "ledger", "reason", "serialization")))
			.isEqualTo(3); // one for flaky(), two for always_conflicting()
		assertThat(value(samples, "asyncsql_retries_exhausted_total", Map.of("node", "ledger"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_validation_rejections_total", Map.of("node", "ledger", "rule",
				"admin_statement"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_transactions_total", Map.of("node", "ledger", "outcome", "commit")))
			.isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "asyncsql_transactions_total", Map.of("node", "ledger", "outcome", "rollback")))
			.isGreaterThanOrEqualTo(1);
		assertThat(value(samples, "asyncsql_lock_operations_total", Map.of("table", "accounts", "outcome", "conflict")))
			.isEqualTo(1);
		assertThat(value(samples, "asyncsql_lock_conflicts_total", Map.of("table", "accounts", "resolution",
				"fail_fast"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_lock_retries_count", Map.of("table", "accounts"))).isEqualTo(1);
		assertThat(value(samples, "asyncsql_pool_acquire_seconds_count", Map.of("pool", "ledger-pool")))
			.isGreaterThanOrEqualTo(4);
		assertThat(value(samples, "asyncsql_pool_acquire_timeouts_total", Map.of("pool", "ledger-pool"))).isZero();
		// one timer per statement: the observation bridge's asyncsql.query timer is not registered
		assertThat(samples).noneSatisfy(s -> assertThat(s.name()).startsWith("asyncsql_query_"));
		assertThat(samples).noneSatisfy(s -> assertThat(s.name()).startsWith("asyncsql_transaction_"));
		assertThat(samples).anySatisfy(s -> assertThat(s.name()).startsWith("r2dbc_pool_")
			.satisfies(n -> assertThat(s.labels()).containsEntry("name", "ledger-pool").containsEntry("pool",
					"ledger-pool")));
		assertThat(samples).anySatisfy(s -> assertThat(s.name()).startsWith("r2dbc_pool_")
			.satisfies(n -> assertThat(s.labels()).containsEntry("name", "dead-pool")));
		assertThat(text).doesNotContain("pw-secret-123");
	}

	private static double value(List<PrometheusText.Sample> samples, String name, Map<String, String> labels) {
		return samples.stream()
			.filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
			.mapToDouble(PrometheusText.Sample::value)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no sample " + name + labels));
	}

	@Test
	void metricsEndpointShowsTheQueryTimer() {
		generateActivity();
		http().get().uri("/actuator/metrics/asyncsql.queries?tag=node:ledger").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("asyncsql.queries")
			.jsonPath("$.measurements[?(@.statistic == 'COUNT')].value").exists()
			.jsonPath("$.availableTags[?(@.tag == 'operation')]").exists();
	}

	@Test
	void healthShowsEachNodeUpOrDownWithDetails() {
		http().get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503)
			.expectBody()
			.jsonPath("$.components.asyncsql.status").isEqualTo("DOWN")
			.jsonPath("$.components.asyncsql.components.ledger.status").isEqualTo("UP")
			.jsonPath("$.components.asyncsql.components.ledger.details.databaseType").isEqualTo("postgresql")
			.jsonPath("$.components.asyncsql.components.ledger.details.validationLatencyMs").isNumber()
			.jsonPath("$.components.asyncsql.components.ledger.details.pool.name").isEqualTo("ledger-pool")
			.jsonPath("$.components.asyncsql.components.ledger.details.retriesExhausted").isNumber()
			// every pool is checked once, by asyncsql: Boot's r2dbc contributor has nothing left to check
			.jsonPath("$.components.r2dbc").doesNotExist()
			.jsonPath("$.components.asyncsql.components.dead.status").isEqualTo("DOWN")
			.jsonPath("$.components.asyncsql.components.dead.details.error").value(error -> assertThat(error.toString())
				.contains("ConnectionFailureException").doesNotContain("pw-secret-123"))
			.jsonPath("$.components.asyncsql.components.dead.details.hint").value(hint -> assertThat(hint.toString())
				.contains("asyncsql.nodes.dead.host"));
	}

	@Test
	void endpointDescribesNodesPoolsAndLocking() {
		http().get().uri("/actuator/asyncsql").exchange().expectStatus().isOk()
			.expectBody()
			.jsonPath("$.nodes.ledger.databaseType").isEqualTo("postgresql")
			.jsonPath("$.nodes.ledger.transactionMode").isEqualTo("auto")
			.jsonPath("$.nodes.ledger.pool.name").isEqualTo("ledger-pool")
			.jsonPath("$.nodes.ledger.pool.sharedBy[0]").isEqualTo("ledger")
			.jsonPath("$.nodes.ledger.pool.maxSize").isEqualTo(10)
			.jsonPath("$.nodes.ledger.retry.maxRetries").isEqualTo(2)
			.jsonPath("$.nodes.ledger.validation.validateQueries").isEqualTo(true)
			.jsonPath("$.nodes.dead.target").isEqualTo("postgresql://nobody@127.0.0.1:1/nowhere")
			.jsonPath("$.locking.metrics.totalOperations").isNumber();
		String raw = http().get().uri("/actuator/asyncsql").exchange().expectBody(String.class).returnResult()
			.getResponseBody();
		assertThat(raw).doesNotContain("pw-secret-123");
		http().get().uri("/actuator/asyncsql/ledger").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.databaseType").isEqualTo("postgresql").jsonPath("$.pool.name").isEqualTo("ledger-pool");
		http().get().uri("/actuator/asyncsql/nope").exchange().expectStatus().isNotFound();
	}

}
