package io.asyncsql.core.resilience;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.SqlExecutionException;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.client.ConnectionContext;
import io.r2dbc.postgresql.message.backend.ErrorResponse;
import io.r2dbc.postgresql.message.backend.Field;
import io.r2dbc.postgresql.message.backend.Field.FieldType;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.r2dbc.connection.ConnectionFactoryUtils;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Classification of the failures the stack really produces: server errors made by r2dbc-postgresql's own exception
 * factory, the driver's client-side connection exceptions, r2dbc-pool's acquisition timeout and validation failure,
 * Netty/JDK socket failures from real connection attempts, and the wrappers Spring and Reactor put around them.
 * Nothing here depends on message text: messages are deliberately misleading in {@link #messagesAreIgnored()}.
 */
class TransientFailureClassificationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final TransientFailureClassifier classifier = new TransientFailureClassifier();

	/**
	 * An exception exactly as r2dbc-postgresql makes it from a server ErrorResponse (the factory is package-private).
	 */
	static R2dbcException serverError(String sqlState) {
		try {
			Class<?> factory = Class.forName("io.r2dbc.postgresql.ExceptionFactory");
			Method create = factory.getDeclaredMethod("createException", ErrorResponse.class, String.class);
			create.setAccessible(true);
			ErrorResponse response = new ErrorResponse(List.of(new Field(FieldType.SEVERITY_NON_LOCALIZED, "ERROR"),
					new Field(FieldType.CODE, sqlState), new Field(FieldType.MESSAGE, "server message " + sqlState)));
			return (R2dbcException) create.invoke(null, response, "UPDATE accounts SET balance = $1");
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One of the driver's package-private client-side exceptions, made by its own constructor. */
	static R2dbcException driverException(String type, Class<?>[] parameterTypes, Object... arguments) {
		try {
			Constructor<?> constructor = Class.forName(type).getDeclaredConstructor(parameterTypes);
			constructor.setAccessible(true);
			return (R2dbcException) constructor.newInstance(arguments);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static DataAccessException spring(R2dbcException ex) {
		return ConnectionFactoryUtils.convertR2dbcException("execute", "UPDATE accounts SET balance = $1", ex);
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource({
			"40001, SERIALIZATION,        io.r2dbc.spi.R2dbcRollbackException,             org.springframework.dao.CannotAcquireLockException",
			"40P01, DEADLOCK,             io.r2dbc.spi.R2dbcTransientException,            org.springframework.r2dbc.UncategorizedR2dbcException",
			"55P03, LOCK_NOT_AVAILABLE,   io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"57P01, SHUTDOWN,             io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"57P02, SHUTDOWN,             io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"57P03, SHUTDOWN,             io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"53300, TOO_MANY_CONNECTIONS, io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08000, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08001, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08003, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08004, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08006, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException",
			"08P01, CONNECTION,           io.r2dbc.spi.R2dbcNonTransientResourceException, org.springframework.dao.DataAccessResourceFailureException" })
	void transientServerErrorsAreClassifiedBySqlStateWhateverTypeTheDriverGivesThem(String sqlState,
			TransientReason reason, Class<?> driverType, Class<?> springType) {
		R2dbcException driver = serverError(sqlState);
		assertThat(driver).isInstanceOf(driverType).isInstanceOf(io.r2dbc.postgresql.api.PostgresqlException.class);
		assertThat(driver.getSqlState()).isEqualTo(sqlState);
		assertThat(this.classifier.classify(driver)).isEqualTo(reason);

		DataAccessException wrapped = spring(driver);
		assertThat(wrapped).isInstanceOf(springType).hasCause(driver);
		assertThat(this.classifier.classify(wrapped)).isEqualTo(reason);

		assertThat(this.classifier.classify(Exceptions.propagate(wrapped))).isEqualTo(reason);
		assertThat(this.classifier.classify(new SqlExecutionException("failed", "node", sqlState, 1, wrapped)))
			.isEqualTo(reason);
		assertThat(TransientFailureClassifier.sqlState(wrapped)).isEqualTo(sqlState);
	}

	@ParameterizedTest(name = "{0} is not transient")
	@CsvSource({
			"23505, io.r2dbc.spi.R2dbcDataIntegrityViolationException", // unique violation
			"23503, io.r2dbc.spi.R2dbcDataIntegrityViolationException", // foreign key violation
			"42601, io.r2dbc.spi.R2dbcBadGrammarException", // syntax error
			"42P01, io.r2dbc.spi.R2dbcBadGrammarException", // undefined table
			"22012, io.r2dbc.spi.R2dbcBadGrammarException", // division by zero
			"42501, io.r2dbc.spi.R2dbcPermissionDeniedException", // insufficient privilege
			"28P01, io.r2dbc.spi.R2dbcPermissionDeniedException", // password authentication failed
			"3D000, io.r2dbc.spi.R2dbcNonTransientResourceException", // database does not exist
			"57014, io.r2dbc.spi.R2dbcNonTransientResourceException", // cancelled (statement timeout): never retried
			"25P02, io.r2dbc.spi.R2dbcNonTransientResourceException", // in failed transaction
			"53100, io.r2dbc.spi.R2dbcNonTransientResourceException", // disk full
			"53200, io.r2dbc.spi.R2dbcNonTransientResourceException", // out of memory
			"40002, io.r2dbc.spi.R2dbcTransientException", // integrity violation at commit
			"40003, io.r2dbc.spi.R2dbcTransientException", // statement completion unknown
			"P0001, io.r2dbc.spi.R2dbcNonTransientResourceException" }) // raise_exception
	void otherServerErrorsAreNotTransientEvenWhenTheDriverCallsThemTransientOrResourceFailures(String sqlState,
			Class<?> driverType) {
		R2dbcException driver = serverError(sqlState);
		assertThat(driver).isInstanceOf(driverType);
		assertThat(this.classifier.classify(driver)).isNull();
		assertThat(this.classifier.classify(spring(driver))).isNull();
		// a definite, non-transient state wins over a transient-looking cause further down
		assertThat(this.classifier.classify(new R2dbcNonTransientResourceException("x", sqlState, 0, (String) null,
				new ConnectException()))).isNull();
	}

	@Test
	void driverClientSideConnectionFailures() {
		R2dbcException closed = driverException("io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionClosedException",
				new Class<?>[] { String.class }, "Cannot exchange messages because the connection is closed");
		assertThat(closed).isInstanceOf(R2dbcNonTransientResourceException.class);
		assertThat(closed.getSqlState()).isEqualTo("08006");
		assertThat(this.classifier.classify(closed)).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(spring(closed))).isEqualTo(TransientReason.CONNECTION);

		R2dbcException io = driverException("io.r2dbc.postgresql.client.ReactorNettyClient$PostgresConnectionException",
				new Class<?>[] { ConnectionContext.class, Throwable.class }, new ConnectionContext(),
				new SocketException("Connection reset"));
		assertThat(io.getSqlState()).isEqualTo("08006");
		assertThat(this.classifier.classify(io)).isEqualTo(TransientReason.CONNECTION);

		R2dbcException queueFull = driverException("io.r2dbc.postgresql.client.ReactorNettyClient$RequestQueueException",
				new Class<?>[] { String.class }, "Cannot exchange messages because the request queue limit is exceeded");
		assertThat(queueFull).isInstanceOf(R2dbcTransientResourceException.class);
		assertThat(this.classifier.classify(queueFull)).isEqualTo(TransientReason.CONNECTION);
		assertThat(spring(queueFull)).isInstanceOf(org.springframework.dao.TransientDataAccessResourceException.class);
		assertThat(this.classifier.classify(spring(queueFull))).isEqualTo(TransientReason.CONNECTION);

		R2dbcException cannotConnect = driverException("io.r2dbc.postgresql.PostgresqlConnectionFactory$PostgresConnectionException",
				new Class<?>[] { String.class, Throwable.class }, "Cannot connect to db:5432", new UnknownHostException("db"));
		assertThat(cannotConnect.getSqlState()).isEqualTo("08003");
		assertThat(this.classifier.classify(cannotConnect)).isEqualTo(TransientReason.CONNECTION);
	}

	@Test
	void refusedConnectionFromTheRealDriver() throws IOException {
		int port;
		try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = probe.getLocalPort();
		}
		Throwable failure = connect(port);
		assertThat(failure).isInstanceOf(R2dbcNonTransientResourceException.class);
		assertThat(((R2dbcException) failure).getSqlState()).isEqualTo("08003");
		assertThat(rootCause(failure)).isInstanceOf(ConnectException.class);
		assertThat(this.classifier.classify(failure)).isEqualTo(TransientReason.CONNECTION);
		// Netty's own exception alone, as it would surface without the driver's wrapper
		assertThat(this.classifier.classify(failure.getCause())).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(spring((R2dbcException) failure))).isEqualTo(TransientReason.CONNECTION);
	}

	@Test
	void connectionResetByTheServerFromTheRealDriver() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Thread resetter = new Thread(() -> {
				try (Socket socket = server.accept()) {
					socket.getInputStream().read(); // the startup message arrives, then the connection is reset
					socket.setSoLinger(true, 0);
				}
				catch (IOException ex) {
					// the test fails on the client side if this does
				}
			});
			resetter.setDaemon(true);
			resetter.start();
			Throwable failure = connect(server.getLocalPort());
			assertThat(failure).isInstanceOf(R2dbcNonTransientResourceException.class);
			assertThat(((R2dbcException) failure).getSqlState()).startsWith("08");
			assertThat(this.classifier.classify(failure)).isEqualTo(TransientReason.CONNECTION);
			// the transport's own exception: Netty's native "Connection reset by peer" on epoll
			Throwable socketFailure = failure.getCause();
			assertThat(socketFailure).isInstanceOf(IOException.class);
			assertThat(socketFailure.getClass().getName()).matches("io\\.netty\\..*|java\\.net\\..*");
			assertThat(this.classifier.classify(socketFailure)).isEqualTo(TransientReason.CONNECTION);
		}
	}

	@Test
	void jdkAndNettySocketFailures() {
		assertThat(this.classifier.classify(new ConnectException("refused"))).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(new io.netty.channel.ConnectTimeoutException("timed out")))
			.isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(new SocketException("Connection reset"))).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(new java.net.NoRouteToHostException())).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(new UnknownHostException("db.example"))).isEqualTo(TransientReason.CONNECTION);
		assertThat(this.classifier.classify(new ClosedChannelException())).isEqualTo(TransientReason.CONNECTION);
		// an I/O failure that is not a socket's is not a connection failure
		assertThat(this.classifier.classify(new java.io.FileNotFoundException("/tmp/x"))).isNull();
	}

	@Test
	void poolAcquisitionTimeoutIsPoolExhaustion() {
		// a factory whose connections never arrive: r2dbc-pool gives up after max-acquire-time
		ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory(Mono.never()))
			.maxAcquireTime(Duration.ofMillis(50))
			.initialSize(0)
			.build());
		try {
			Throwable failure = catchThrowable(() -> pool.create().block(WAIT));
			assertThat(failure).isInstanceOf(R2dbcTimeoutException.class);
			assertThat(((R2dbcException) failure).getSqlState()).isNull();
			assertThat(this.classifier.classify(failure)).isEqualTo(TransientReason.POOL_EXHAUSTED);
			DataAccessException wrapped = spring((R2dbcException) failure);
			assertThat(wrapped).isInstanceOf(QueryTimeoutException.class);
			assertThat(this.classifier.classify(wrapped)).isEqualTo(TransientReason.POOL_EXHAUSTED);
		}
		finally {
			pool.dispose();
		}
	}

	@Test
	void pooledConnectionThatFailsValidationIsAConnectionFailure() {
		ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory(Mono.fromSupplier(
				TransientFailureClassificationTests::brokenConnection)))
			.validationDepth(ValidationDepth.LOCAL)
			.initialSize(0)
			.build());
		try {
			Throwable failure = catchThrowable(() -> pool.create().block(WAIT));
			assertThat(failure).isInstanceOf(R2dbcNonTransientResourceException.class);
			assertThat(((R2dbcException) failure).getSqlState()).isNull();
			assertThat(this.classifier.classify(failure)).isEqualTo(TransientReason.CONNECTION);
		}
		finally {
			pool.dispose();
		}
	}

	@Test
	void reactorWrappers() {
		R2dbcException deadlock = serverError("40P01");
		// block() wraps checked exceptions in Reactor's ReactiveException
		Throwable propagated = catchThrowable(() -> Mono.error(new ConnectException("refused")).block(WAIT));
		assertThat(propagated).isNotInstanceOf(ConnectException.class).hasCauseInstanceOf(ConnectException.class);
		assertThat(this.classifier.classify(propagated)).isEqualTo(TransientReason.CONNECTION);

		Throwable retryExhausted = catchThrowable(() -> Mono.error(spring(deadlock))
			.retryWhen(Retry.max(1))
			.block(WAIT));
		assertThat(Exceptions.isRetryExhausted(retryExhausted)).isTrue();
		assertThat(this.classifier.classify(retryExhausted)).isEqualTo(TransientReason.DEADLOCK);

		assertThat(this.classifier.classify(Exceptions.bubble(serverError("40001"))))
			.isEqualTo(TransientReason.SERIALIZATION);

		// several failures at once: transient only when all are
		assertThat(this.classifier.classify(Exceptions.multiple(deadlock, new ConnectException())))
			.isEqualTo(TransientReason.DEADLOCK);
		assertThat(this.classifier.classify(Exceptions.multiple(deadlock, serverError("23505")))).isNull();
		assertThat(this.classifier.classify(Exceptions.propagate(Exceptions.multiple(serverError("55P03")))))
			.isEqualTo(TransientReason.LOCK_NOT_AVAILABLE);
	}

	@Test
	void messagesAreIgnored() {
		assertThat(this.classifier.classify(new R2dbcBadGrammarException("deadlock detected", "42601"))).isNull();
		assertThat(this.classifier.classify(new IllegalStateException("Connection reset by peer"))).isNull();
		assertThat(this.classifier.classify(new RuntimeException("could not serialize access", new RuntimeException(
				"too many connections")))).isNull();
		assertThat(this.classifier.classify(new R2dbcDataIntegrityViolationException("connection refused", "23505")))
			.isNull();
		assertThat(this.classifier.classify(new R2dbcTransientResourceException("all fine", "40P01")))
			.isEqualTo(TransientReason.DEADLOCK);
		assertThat(this.classifier.classify(new R2dbcRollbackException((String) null, "40001")))
			.isEqualTo(TransientReason.SERIALIZATION);
		assertThat(this.classifier.classify(new R2dbcPermissionDeniedException("timeout", "28000"))).isNull();
	}

	@Test
	void vendorCodesContributedByADialect() {
		TransientFailureClassifier mysql = new TransientFailureClassifier(Map.of(1213, TransientReason.DEADLOCK, 1205,
				TransientReason.LOCK_NOT_AVAILABLE));
		assertThat(mysql.classify(new R2dbcTransientResourceException("x", "HY000", 1205))).isEqualTo(TransientReason.LOCK_NOT_AVAILABLE);
		assertThat(mysql.classify(new R2dbcRollbackException("x", "40001", 1213))).isEqualTo(TransientReason.SERIALIZATION);
		assertThat(mysql.classify(new R2dbcNonTransientResourceException("x", "HY000", 1040))).isNull();
		assertThat(this.classifier.classify(new R2dbcTransientResourceException("x", "HY000", 1205))).isNull();
	}

	@Test
	void causeCyclesAndDeepChainsEnd() {
		RuntimeException first = new RuntimeException("a");
		RuntimeException second = new RuntimeException("b", first);
		first.initCause(second);
		assertThat(this.classifier.classify(first)).isNull();
		Throwable wrapped = serverError("40P01");
		for (int i = 0; i < 10; i++) {
			wrapped = new RuntimeException(wrapped);
		}
		assertThat(this.classifier.classify(wrapped)).isEqualTo(TransientReason.DEADLOCK);
		assertThat(this.classifier.classify(null)).isNull();
	}

	private static Throwable connect(int port) {
		ConnectionFactory factory = ConnectionFactories.get("r2dbc:postgresql://nobody@127.0.0.1:" + port + "/none?"
				+ "connectTimeout=PT5S");
		return catchThrowable(() -> Mono.from(factory.create()).block(WAIT));
	}

	private static List<Throwable> chain(Throwable failure) {
		List<Throwable> chain = new ArrayList<>();
		for (Throwable current = failure; current != null && !chain.contains(current); current = current.getCause()) {
			chain.add(current);
		}
		return chain;
	}

	private static Throwable rootCause(Throwable failure) {
		List<Throwable> chain = chain(failure);
		return chain.get(chain.size() - 1);
	}

	private static ConnectionFactory factory(Mono<? extends Connection> connections) {
		return new ConnectionFactory() {

			@Override
			public Mono<? extends Connection> create() {
				return connections;
			}

			@Override
			public ConnectionFactoryMetadata getMetadata() {
				return () -> "test";
			}

		};
	}

	// a connection whose socket is gone: local validation says so, closing it works
	private static Connection brokenConnection() {
		return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, arguments) -> switch (method.getName()) {
					case "validate" -> Mono.just(false);
					case "close" -> Mono.empty();
					case "toString" -> "broken connection";
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == arguments[0];
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
