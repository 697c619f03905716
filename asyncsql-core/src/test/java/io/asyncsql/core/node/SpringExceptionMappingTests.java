package io.asyncsql.core.node;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.InvalidStatementException;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionConflictException;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.test.H2Database;
import io.asyncsql.test.MariaDbSchema;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.dao.NonTransientDataAccessException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every failure a node reports is a Spring {@link DataAccessException} with the meaning Spring gives it, on each
 * database, and still says which node, which SQLState and how many attempts, never the bound value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringExceptionMappingTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String SECRET = "value-never-shown-7c1e";

	private final Map<DatabaseType, TestTarget> targets = new EnumMap<>(DatabaseType.class);

	private final Map<DatabaseType, AsyncSqlNode> nodes = new EnumMap<>(DatabaseType.class);

	private final ConnectionPools pools = new ConnectionPools();

	@BeforeAll
	void createDatabases() {
		this.targets.put(DatabaseType.POSTGRESQL, PostgresSchema.create("map"));
		this.targets.put(DatabaseType.MARIADB, MariaDbSchema.create("map"));
		this.targets.put(DatabaseType.H2, H2Database.create("map"));
		this.targets.forEach((type, target) -> {
			target.sql("CREATE TABLE mapped (id int PRIMARY KEY, code varchar(8) NOT NULL, n int CHECK (n >= 0))");
			this.nodes.put(type, AsyncSqlNode.builder(target.node("map_" + type.name().toLowerCase(),
					target.shortLockTimeout()).timeout(Duration.ofSeconds(5)).build()).pools(this.pools).build());
		});
	}

	@AfterAll
	void dropDatabases() {
		this.pools.close();
		this.targets.values().forEach(TestTarget::close);
	}

	@BeforeEach
	void oneRow() {
		this.targets.values().forEach(target -> target.sql("DELETE FROM mapped",
				"INSERT INTO mapped (id, code, n) VALUES (1, 'one', 1)"));
	}

	private Throwable failureOf(DatabaseType type, String sql, Map<String, ?> params) {
		return catchThrowable(() -> this.nodes.get(type).execute(sql, params).block(WAIT));
	}

	private static void assertOrigin(Throwable failure, String node, String sqlStatePrefix, int attempts) {
		assertThat(failure).isInstanceOf(AsyncSqlException.class).isInstanceOf(DataAccessException.class);
		AsyncSqlException origin = (AsyncSqlException) failure;
		assertThat(origin.nodeName()).isEqualTo(node);
		assertThat(origin.sqlState()).startsWith(sqlStatePrefix);
		assertThat(origin.attempts()).isEqualTo(attempts);
		assertThat(failure.getMessage()).contains("Node '" + node + "'").doesNotContain(SECRET);
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB", "H2" })
	void aDuplicateKeyIsSpringsDuplicateKeyException(DatabaseType type) {
		Throwable failure = failureOf(type, "INSERT INTO mapped (id, code) VALUES (1, :code)", Map.of("code", "x"));
		assertThat(failure).isInstanceOf(UniqueViolationException.class)
			.isInstanceOf(DuplicateKeyException.class)
			.isInstanceOf(DataIntegrityViolationException.class);
		assertOrigin(failure, "map_" + type.name().toLowerCase(), "23", 1);
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB", "H2" })
	void constraintAndDataFailuresAreDataIntegrityViolations(DatabaseType type) {
		Map<String, Object> nullCode = new HashMap<>();
		nullCode.put("code", null);
		Throwable notNull = failureOf(type, "INSERT INTO mapped (id, code) VALUES (2, :code)", nullCode);
		assertThat(notNull).isInstanceOf(IntegrityViolationException.class)
			.isInstanceOf(DataIntegrityViolationException.class)
			.isNotInstanceOf(DuplicateKeyException.class);
		assertOrigin(notNull, "map_" + type.name().toLowerCase(), "23", 1);
		// too long for varchar(8): a data exception, class 22
		Throwable tooLong = failureOf(type, "INSERT INTO mapped (id, code) VALUES (3, :code)", Map.of("code", SECRET));
		assertThat(tooLong).isInstanceOf(DataIntegrityViolationException.class);
		assertOrigin(tooLong, "map_" + type.name().toLowerCase(), "22", 1);
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB", "H2" })
	void rejectedSqlIsAnInvalidResourceUsage(DatabaseType type) {
		Throwable failure = failureOf(type, "SELECT * FROM no_such_table WHERE id = :id", Map.of("id", 1));
		assertThat(failure).isInstanceOf(InvalidStatementException.class)
			.isInstanceOf(InvalidDataAccessResourceUsageException.class)
			.isInstanceOf(NonTransientDataAccessException.class);
		assertOrigin(failure, "map_" + type.name().toLowerCase(), "42", 1);
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB", "H2" })
	void refusedBeforeTheDatabaseIsAnApiOrResourceMisuse(DatabaseType type) {
		AsyncSqlNode node = this.nodes.get(type);
		assertThat(catchThrowable(() -> node.execute("DROP TABLE mapped").block(WAIT)))
			.isInstanceOf(InvalidDataAccessResourceUsageException.class)
			.isInstanceOf(AsyncSqlException.class);
		assertThat(catchThrowable(() -> node.execute("SELECT :a AS a", Map.of()).block(WAIT)))
			.isInstanceOf(InvalidDataAccessApiUsageException.class)
			.isInstanceOf(AsyncSqlException.class);
		SqlTransaction tx = node.beginTransaction().block(WAIT);
		tx.rollback().block(WAIT);
		assertThat(catchThrowable(() -> tx.execute("SELECT 1").block(WAIT)))
			.isInstanceOf(InvalidDataAccessApiUsageException.class)
			.isInstanceOf(AsyncSqlException.class);
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB", "H2" })
	void aLockConflictInsideATransactionIsATransientPessimisticLockingFailure(DatabaseType type) {
		AsyncSqlNode node = this.nodes.get(type);
		SqlTransaction holder = node.beginTransaction().block(WAIT);
		try {
			holder.execute("UPDATE mapped SET n = 2 WHERE id = 1").block(WAIT);
			Throwable failure = catchThrowable(() -> node
				.inTransaction(tx -> tx.execute("UPDATE mapped SET n = 3 WHERE id = 1"))
				.then()
				.block(WAIT));
			// inTransaction retries the whole block; the other transaction keeps the lock through every attempt
			assertThat(failure).isInstanceOf(RetryExhaustedException.class)
				.isInstanceOf(TransientDataAccessException.class);
			assertThat(((DataAccessException) failure).contains(PessimisticLockingFailureException.class)).isTrue();
			SqlTransaction tx = node.beginTransaction().block(WAIT);
			Throwable single = catchThrowable(() -> tx.execute("UPDATE mapped SET n = 4 WHERE id = 1").block(WAIT));
			assertThat(single).isInstanceOf(TransactionConflictException.class)
				.isInstanceOf(PessimisticLockingFailureException.class)
				.isInstanceOf(TransientDataAccessException.class);
			assertThat(((AsyncSqlException) single).attempts()).isEqualTo(1);
		}
		finally {
			holder.rollback().block(WAIT);
		}
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB" })
	void aTimeoutIsSpringsQueryTimeoutException(DatabaseType type) {
		String slow = (type == DatabaseType.POSTGRESQL) ? "SELECT pg_sleep(5)" : "SELECT SLEEP(5)";
		AsyncSqlNode unvalidated = AsyncSqlNode.builder(this.targets.get(type)
			.node("map_slow_" + type.name().toLowerCase())
			.validateQueries(false)
			.timeout(Duration.ofMillis(300))
			.build()).pools(this.pools).build();
		try {
			Throwable failure = catchThrowable(() -> unvalidated.execute(slow).block(WAIT));
			assertThat(failure).isInstanceOf(io.asyncsql.core.QueryTimeoutException.class)
				.isInstanceOf(QueryTimeoutException.class)
				.isInstanceOf(TransientDataAccessException.class);
		}
		finally {
			unvalidated.close();
		}
	}

	@Test
	void aLostConnectionIsAResourceFailureAndTransientOnceRetriesRunOut() {
		TestTarget postgres = this.targets.get(DatabaseType.POSTGRESQL);
		ConnectionSettings refused = ((PostgresSchema) postgres).node("map_refused", "127.0.0.1", 1, Map.of())
			.build()
			.connection();
		try (AsyncSqlNode once = node(refused, "map_refused_once", 0);
				AsyncSqlNode retried = node(refused, "map_refused_retried", 2)) {
			Throwable failure = catchThrowable(() -> once.execute("SELECT 1").block(WAIT));
			assertThat(failure).isInstanceOf(ConnectionFailureException.class)
				.isInstanceOf(DataAccessResourceFailureException.class);
			assertThat(((AsyncSqlException) failure).attempts()).isEqualTo(1);
			Throwable exhausted = catchThrowable(() -> retried.execute("SELECT 1").block(WAIT));
			assertThat(exhausted).isInstanceOf(RetryExhaustedException.class)
				.isInstanceOf(TransientDataAccessException.class);
			assertThat(((AsyncSqlException) exhausted).attempts()).isEqualTo(3);
			assertThat(((DataAccessException) exhausted).contains(DataAccessResourceFailureException.class)).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = DatabaseType.class, names = { "POSTGRESQL", "MARIADB" })
	void anUnknownDatabaseOrUserIsAConnectionFailureNotAFailedStatement(DatabaseType type) {
		ConnectionSettings good = this.targets.get(type).node("map_good").build().connection();
		ConnectionSettings unknownDatabase = new ConnectionSettings(good.databaseType(), null, good.host(), good.port(),
				"no_such_database_" + SECRET.hashCode(), good.username(), good.password(), good.sslMode(), Map.of());
		ConnectionSettings unknownUser = good.withCredentials("no_such_user_map", "wrong-" + SECRET);
		try (AsyncSqlNode database = node(unknownDatabase, "map_no_db_" + type.name().toLowerCase(), 2);
				AsyncSqlNode user = node(unknownUser, "map_no_user_" + type.name().toLowerCase(), 2)) {
			Throwable noDatabase = catchThrowable(() -> database.execute("SELECT 1").block(WAIT));
			assertThat(noDatabase).isInstanceOf(ConnectionFailureException.class)
				.isInstanceOf(DataAccessResourceFailureException.class);
			assertThat(((AsyncSqlException) noDatabase).attempts()).as("not retried").isEqualTo(1);
			assertThat(((AsyncSqlException) noDatabase).sqlState()).isIn("3D000", "42000", "H1000");
			Throwable noUser = catchThrowable(() -> user.execute("SELECT 1").block(WAIT));
			assertThat(noUser).isInstanceOf(ConnectionFailureException.class)
				.isInstanceOf(DataAccessResourceFailureException.class);
			if (type == DatabaseType.POSTGRESQL) {
				// the MariaDB driver drops the server's 28000 while connecting and reports its own H1000
				assertThat(((AsyncSqlException) noUser).sqlState()).startsWith("28");
			}
			assertThat(((AsyncSqlException) noUser).attempts()).as("not retried").isEqualTo(1);
			assertThat(noUser.getMessage()).doesNotContain("wrong-" + SECRET);
		}
	}

	@Test
	void anExhaustedPoolIsATransientResourceFailure() {
		AsyncSqlNode tiny = AsyncSqlNode.builder(this.targets.get(DatabaseType.H2)
			.node("map_tiny")
			.pool(io.asyncsql.core.PoolSettings.builder().initialSize(0).maxSize(1)
				.maxAcquireTime(Duration.ofMillis(200)).build())
			.retry(new RetryConfig(0, Duration.ofMillis(10), Duration.ofMillis(10), 2.0, false))
			.build()).pools(this.pools).build();
		SqlTransaction holder = tiny.beginTransaction().block(WAIT);
		try {
			Throwable failure = catchThrowable(() -> tiny.execute("SELECT 1").block(WAIT));
			assertThat(failure).isInstanceOf(io.asyncsql.core.PoolExhaustedException.class)
				.isInstanceOf(TransientDataAccessResourceException.class);
		}
		finally {
			holder.rollback().block(WAIT);
			tiny.close();
		}
	}

	private AsyncSqlNode node(ConnectionSettings connection, String name, int maxRetries) {
		return AsyncSqlNode.builder(NodeSettings.builder(name)
			.connection(connection)
			.retry(new RetryConfig(maxRetries, Duration.ofMillis(10), Duration.ofMillis(20), 2.0, false))
			.build()).pools(this.pools).build();
	}

}
