package io.asyncsql.core.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SslMode;
import io.asyncsql.test.DisposablePostgres;
import io.r2dbc.postgresql.message.frontend.PasswordMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Passwords stay out of everything a failing connection leaves behind: every log line of asyncsql, R2DBC and
 * Reactor Netty at DEBUG (messages and logged exceptions), every message of the exception and its causes, and the
 * {@code toString()} of the exception, the settings and the node. The server is a throwaway cluster that asks for
 * a password (SCRAM for one role, a cleartext password over TLS for another), so the password really is sent.
 */
@Tag("reliability")
class SecretsInLogsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final String SCRAM_ROLE = "asyncsql_scram";

	private static final String CLEARTEXT_ROLE = "asyncsql_cleartext";

	private static final List<String> CAPTURED_LOGGERS = List.of("io.asyncsql", "io.r2dbc", "reactor.netty");

	private static final AtomicInteger counter = new AtomicInteger();

	private static DisposablePostgres server;

	private static String rightPassword;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Map<String, Level> savedLevels = new java.util.HashMap<>();

	private AsyncSqlNode node;

	@BeforeAll
	static void startServer() {
		server = DisposablePostgres.builder()
			.tls()
			.hba("hostssl all " + SCRAM_ROLE + " 127.0.0.1/32 scram-sha-256")
			.hba("hostssl all " + CLEARTEXT_ROLE + " 127.0.0.1/32 password")
			.hba("hostssl all all 127.0.0.1/32 trust")
			.hba("hostnossl all all 127.0.0.1/32 reject")
			.start();
		rightPassword = secret("right");
		server.sql("CREATE ROLE " + SCRAM_ROLE + " LOGIN PASSWORD '" + rightPassword + "'",
				"CREATE ROLE " + CLEARTEXT_ROLE + " LOGIN PASSWORD '" + rightPassword + "'");
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	@BeforeEach
	void captureDebugLogs() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.appender.setContext(context);
		this.appender.start();
		// captured here only: hundreds of DEBUG lines are not wanted on the console
		for (String name : CAPTURED_LOGGERS) {
			Logger logger = context.getLogger(name);
			this.savedLevels.put(name, logger.getLevel());
			logger.setLevel(Level.DEBUG);
			logger.setAdditive(false);
			logger.addAppender(this.appender);
		}
	}

	@AfterEach
	void restoreLogs() {
		if (this.node != null) {
			this.node.close();
		}
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.savedLevels.forEach((name, level) -> {
			Logger logger = context.getLogger(name);
			logger.detachAppender(this.appender);
			logger.setAdditive(true);
			logger.setLevel(level);
		});
		this.appender.stop();
	}

	private static String secret(String kind) {
		return "Pw" + kind + Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE) + "Zq";
	}

	private AsyncSqlNode node(ConnectionSettings connection) {
		this.node = AsyncSqlNode.builder(NodeSettings.builder("secrets_" + counter.incrementAndGet())
			.connection(connection)
			.retry(new RetryConfig(2, Duration.ofMillis(20), Duration.ofMillis(50), 2.0, false))
			.pool(PoolSettings.builder().initialSize(0).maxSize(2).maxAcquireTime(Duration.ofSeconds(5)).build())
			.build()).build();
		return this.node;
	}

	private static ConnectionSettings login(String role, String password) {
		return new ConnectionSettings(DatabaseType.POSTGRESQL, null, "127.0.0.1", server.port(), "postgres", role,
				password, SslMode.REQUIRE, Map.of());
	}

	@Test
	void theRightPasswordLogsIn() {
		AsyncSqlNode node = node(login(SCRAM_ROLE, rightPassword));
		assertThat(node.execute("SELECT current_user AS who").block(WAIT).one()).containsEntry("who", SCRAM_ROLE);
		assertNowhere(rightPassword, null);
	}

	@Test
	void aWrongScramPasswordIsRefusedWithoutShowingIt() {
		String wrong = secret("scram");
		ConnectionFailureException failure = loginFails(node(login(SCRAM_ROLE, wrong)));
		assertThat(failure.getMessage()).contains("password authentication failed").contains(SCRAM_ROLE);
		assertNowhere(wrong, failure);
	}

	@Test
	void aWrongCleartextPasswordIsRefusedWithoutShowingIt() {
		// sent as it is (inside TLS): the driver's own protocol logging is where it could show up
		String wrong = secret("clear");
		ConnectionFailureException failure = loginFails(node(login(CLEARTEXT_ROLE, wrong)));
		assertThat(failure.getMessage()).contains("password authentication failed").contains(CLEARTEXT_ROLE);
		assertNowhere(wrong, failure);
	}

	@Test
	void aWrongPasswordInTheUrlIsRefusedWithoutShowingIt() {
		String wrong = secret("url");
		ConnectionFailureException failure = loginFails(node(ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL,
				"r2dbc:postgresql://" + SCRAM_ROLE + ":" + wrong + "@127.0.0.1:" + server.port()
						+ "/postgres?sslMode=require")));
		assertThat(failure.getMessage()).contains("password authentication failed").contains("******");
		assertNowhere(wrong, failure);
	}

	@Test
	void theDriversProtocolLogShowsNoPassword() {
		// r2dbc-postgresql logs each protocol message at DEBUG, but decides once per JVM whether to, when its client
		// class loads; so the message it would log is checked directly
		String password = secret("protocol");
		assertThat(new PasswordMessage(password).toString()).doesNotContain(password);
	}

	private ConnectionFailureException loginFails(AsyncSqlNode node) {
		ConnectionFailureException failure = catchThrowableOfType(ConnectionFailureException.class,
				() -> node.execute("SELECT 1").block(WAIT));
		assertThat(failure).as("the login should have been refused").isNotNull();
		assertThat(failure.sqlState()).isEqualTo("28P01");
		assertThat(failure.attempts()).as("a refused login is not retried").isEqualTo(1);
		return failure;
	}

	private void assertNowhere(String password, Throwable failure) {
		List<ILoggingEvent> events;
		synchronized (this.appender) {
			// Netty threads still log the closing connections; AppenderBase appends under this lock
			events = List.copyOf(this.appender.list);
		}
		// the capture does see connection details: the pool's target names the role
		assertThat(events).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy(line -> assertThat(line).contains(this.node.settings().connection().username() != null
					? this.node.settings().connection().username() : SCRAM_ROLE));
		for (ILoggingEvent event : events) {
			assertThat(event.getFormattedMessage()).as("log line of %s", event.getLoggerName()).doesNotContain(password);
			for (IThrowableProxy logged = event.getThrowableProxy(); logged != null; logged = logged.getCause()) {
				assertThat(String.valueOf(logged.getMessage())).as("exception logged by %s", event.getLoggerName())
					.doesNotContain(password);
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).as("message of %s", cause.getClass().getName())
				.doesNotContain(password);
			assertThat(cause.toString()).doesNotContain(password);
		}
		assertThat(this.node.toString()).doesNotContain(password);
		assertThat(this.node.settings().toString()).doesNotContain(password);
		assertThat(this.node.settings().connection().toString()).doesNotContain(password);
		assertThat(this.node.settings().connection().target()).doesNotContain(password);
		assertThat(this.node.pool().toString()).doesNotContain(password);
	}

}
