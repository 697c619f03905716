package io.asyncsql.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.asyncsql.sample.ledger.Account;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TcpProxy;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away while the service runs: every endpoint answers 503 with a problem detail and
 * {@code Retry-After} once the node's retries are spent, health turns DOWN, nothing is half-written, and the
 * service recovers on its own when the database is back. The service reaches PostgreSQL through a relay the test
 * cuts, so the shared server is never touched.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@DirtiesContext
class PostgresOutageHttpTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final PostgresSchema schema = PostgresSchema.create("sample_outage");

	private static final TcpProxy proxy = TcpProxy.to(TestDatabases.postgres());

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabases.postgres();
		PostgresProfileSettings.pointAt(registry, "127.0.0.1", proxy.port(), database, schema.name());
		// fail fast once the database is gone: two quick retries, a small pool
		registry.add("asyncsql.defaults.retry.max-retries", () -> "2");
		registry.add("asyncsql.defaults.retry.initial-delay", () -> "10ms");
		registry.add("asyncsql.defaults.pool.max-size", () -> "4");
	}

	@AfterAll
	static void close() {
		proxy.close();
		schema.close();
	}

	@LocalServerPort
	private int port;

	@Test
	void everyEndpointAnswers503WhileTheDatabaseIsDownAndRecoversAfter() {
		WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port)
			.responseTimeout(WAIT).build();
		Account from = open(http, "Before the outage", "10.00");
		Account to = open(http, "Also before", "0.00");
		// the database goes away: new connections are refused and the open ones reset
		proxy.refuseConnections();
		proxy.cutConnections();
		try {
			unavailable(http.get().uri("/accounts/{id}", from.id()).exchange());
			unavailable(http.get().uri("/accounts?ids={id}", from.id()).exchange());
			unavailable(http.get().uri("/audit/{id}", from.id()).exchange());
			unavailable(http.get().uri("/transfers?since=2024-01-01T00:00:00Z").exchange());
			unavailable(http.post().uri("/accounts").bodyValue(Map.of("owner", "During the outage")).exchange());
			unavailable(http.post().uri("/transfers")
				.bodyValue(Map.of("fromAccount", from.id(), "toAccount", to.id(), "amount", 1)).exchange());
			unavailable(http.post().uri("/accounts/{id}/deposit", from.id()).bodyValue(Map.of("amount", 1)).exchange());
			unavailable(http.patch().uri("/accounts/{id}", from.id()).header("If-Match", "\"1\"")
				.bodyValue(Map.of("owner", "Renamed")).exchange());
			http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503).expectBody()
				.jsonPath("$.status").isEqualTo("DOWN")
				.jsonPath("$.components.asyncsql.components.ledger.status").isEqualTo("DOWN");
		}
		finally {
			proxy.acceptConnections();
		}
		await().atMost(WAIT).untilAsserted(() -> http.get().uri("/actuator/health").exchange().expectStatus().isOk());
		Account after = http.get().uri("/accounts/{id}", from.id()).exchange().expectStatus().isOk()
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(after).isEqualTo(from);
		// nothing the failed requests attempted was written
		assertThat(schema.scalar("SELECT count(*) FROM transfers")).isEqualTo(0L);
		assertThat(schema.scalar("SELECT count(*) FROM accounts")).isEqualTo(2L);
		assertThat(schema.scalar("SELECT count(*) FROM audit_events")).isEqualTo(2L);
		http.post().uri("/transfers").bodyValue(Map.of("fromAccount", from.id(), "toAccount", to.id(), "amount", 1))
			.exchange().expectStatus().isCreated();
	}

	private static Account open(WebTestClient http, String owner, String balance) {
		return http.post().uri("/accounts").bodyValue(Map.of("owner", owner, "initialBalance", new BigDecimal(balance)))
			.exchange().expectStatus().isCreated().expectBody(Account.class).returnResult().getResponseBody();
	}

	private static void unavailable(WebTestClient.ResponseSpec response) {
		response.expectStatus().isEqualTo(503)
			.expectHeader().valueEquals("Retry-After", "2")
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("urn:problem:asyncsql-sample:database-unavailable")
			.jsonPath("$.status").isEqualTo(503)
			.jsonPath("$.reason").isNotEmpty();
	}

}
