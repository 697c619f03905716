package io.asyncsql.core.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SslMode;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.test.DisposablePostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Transport security against a real server that accepts TLS connections only ({@code hostssl ... trust},
 * {@code hostnossl ... reject}) and presents a certificate for {@code localhost} signed by a test CA: each SSL mode
 * connects or fails as PostgreSQL's own clients do, and a failure is reported once, clearly, and never retried
 * (a certificate or a server's refusal does not change in a few hundred milliseconds).
 */
@Tag("reliability")
class TlsConnectionTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	// retries that would show: three more attempts, quickly
	private static final RetryConfig RETRIES = new RetryConfig(3, Duration.ofMillis(20), Duration.ofMillis(50), 2.0,
			false);

	// the server trusts the superuser without asking: a password is given all the same, to show it never leaks
	private static final String PASSWORD = "Tls-s3cret-" + Long.toHexString(System.nanoTime());

	private static final AtomicInteger counter = new AtomicInteger();

	private static DisposablePostgres server;

	private SimpleMeterRegistry registry;

	private AsyncSqlNode node;

	@BeforeAll
	static void startServer() {
		server = DisposablePostgres.builder()
			.tls()
			.hba("hostssl all all 127.0.0.1/32 trust")
			.hba("hostnossl all all 127.0.0.1/32 reject")
			.start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@AfterEach
	void closeNode() {
		if (this.node != null) {
			this.node.close();
		}
	}

	private AsyncSqlNode node(String host, SslMode sslMode, Map<String, String> options) {
		ConnectionSettings connection = new ConnectionSettings(DatabaseType.POSTGRESQL, null, host, server.port(),
				"postgres", "postgres", PASSWORD, sslMode, options);
		this.registry = new SimpleMeterRegistry();
		this.node = AsyncSqlNode.builder(NodeSettings.builder("tls_" + counter.incrementAndGet())
			.connection(connection)
			.retry(RETRIES)
			.pool(PoolSettings.builder().initialSize(0).maxSize(2).maxAcquireTime(Duration.ofSeconds(5)).build())
			.build()).meterRegistry(this.registry).build();
		return this.node;
	}

	private boolean sessionUsesTls(AsyncSqlNode node) {
		return (Boolean) node.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").block(WAIT).one()
			.get("ssl");
	}

	private double retries() {
		return this.registry.find(NodeMetrics.RETRIES).counters().stream().mapToDouble(Counter::count).sum();
	}

	private ConnectionFailureException failureOf(AsyncSqlNode node) {
		ConnectionFailureException failure = catchThrowableOfType(ConnectionFailureException.class,
				() -> node.execute("SELECT 1").block(WAIT));
		assertThat(failure).as("connecting should have failed").isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(PASSWORD);
		}
		assertThat(node.toString()).doesNotContain(PASSWORD);
		return failure;
	}

	@Test
	void requireConnectsOverTls() {
		AsyncSqlNode node = node("127.0.0.1", SslMode.REQUIRE, Map.of());
		assertThat(sessionUsesTls(node)).isTrue();
	}

	@Test
	void aNodeComesBackOverTlsAfterTheServerRestarts() {
		AsyncSqlNode node = node("localhost", SslMode.VERIFY_FULL,
				Map.of("sslRootCert", server.caCertificate().toString()));
		Object before = node.execute("SELECT pg_backend_pid() AS pid").block(WAIT).one().get("pid");

		server.restart();

		// the pooled connection died with the server: the read is retried on a new, verified TLS connection
		assertThat(sessionUsesTls(node)).isTrue();
		assertThat(node.execute("SELECT pg_backend_pid() AS pid").block(WAIT).one().get("pid")).isNotEqualTo(before);
	}

	@Test
	void verifyFullTrustsTheServerCertificateThroughTheGivenCaForItsHostName() {
		AsyncSqlNode node = node("localhost", SslMode.VERIFY_FULL,
				Map.of("sslRootCert", server.caCertificate().toString()));
		assertThat(sessionUsesTls(node)).isTrue();
	}

	@Test
	void verifyCaAcceptsTheRightCaWhateverTheHostName() {
		AsyncSqlNode node = node("127.0.0.1", SslMode.VERIFY_CA,
				Map.of("ssl-root-cert", server.caCertificate().toString()));
		assertThat(sessionUsesTls(node)).isTrue();
	}

	@Test
	void verifyFullWithAnUnrelatedCaFailsOnceWithACertificateError() {
		AsyncSqlNode node = node("localhost", SslMode.VERIFY_FULL,
				Map.of("sslRootCert", server.unrelatedCaCertificate().toString()));
		long start = System.nanoTime();
		ConnectionFailureException failure = failureOf(node);
		assertThat(failure).isInstanceOf(ConnectionFailureException.class);
		assertThat(failure.getMessage()).containsIgnoringCase("certificate");
		assertThat(failure.attempts()).isEqualTo(1);
		assertThat(retries()).isZero();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void verifyFullWithAnAddressTheCertificateDoesNotNameFailsOnceWithAHostNameError() {
		AsyncSqlNode node = node("127.0.0.1", SslMode.VERIFY_FULL,
				Map.of("sslRootCert", server.caCertificate().toString()));
		ConnectionFailureException failure = failureOf(node);
		assertThat(failure).isInstanceOf(ConnectionFailureException.class);
		assertThat(failure.getMessage()).contains("127.0.0.1").containsIgnoringCase("host");
		assertThat(failure.attempts()).isEqualTo(1);
		assertThat(retries()).isZero();
	}

	@Test
	void disableIsRefusedByTheServerOnceWithItsReason() {
		AsyncSqlNode node = node("127.0.0.1", SslMode.DISABLE, Map.of());
		ConnectionFailureException failure = failureOf(node);
		assertThat(failure).isInstanceOf(ConnectionFailureException.class);
		assertThat(failure.sqlState()).isEqualTo("28000");
		assertThat(failure.getMessage()).contains("no encryption");
		assertThat(failure.attempts()).isEqualTo(1);
		assertThat(retries()).isZero();
	}

}
