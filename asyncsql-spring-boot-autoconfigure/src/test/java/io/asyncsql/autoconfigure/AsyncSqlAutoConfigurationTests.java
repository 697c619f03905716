package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Pooler;
import io.asyncsql.autoconfigure.actuate.AsyncSqlEndpoint;
import io.asyncsql.core.ReadReplicas;
import io.asyncsql.core.ReadRouting;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.json.Jackson3JsonCodec;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncSqlAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final TestDatabase database = TestDatabases.postgres();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, R2dbcAutoConfiguration.class,
				R2dbcTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class));

	private String[] node(String name, String... extra) {
		String prefix = "asyncsql.nodes." + name + ".";
		String[] base = { prefix + "database-type=postgresql", prefix + "host=" + this.database.host(),
				prefix + "port=" + this.database.port(), prefix + "database=" + this.database.database(),
				prefix + "username=" + this.database.username() };
		String[] all = new String[base.length + extra.length];
		System.arraycopy(base, 0, all, 0, base.length);
		for (int i = 0; i < extra.length; i++) {
			all[base.length + i] = prefix + extra[i];
		}
		return all;
	}

	@Test
	void singleNodeBecomesANamedPrimaryBeanWithItsTransactionManagerAndConnectionFactory() {
		this.runner.withPropertyValues(node("enterprise_db")).run(context -> {
			assertThat(context).hasNotFailed();
			AsyncSqlNode node = context.getBean("enterprise_db", AsyncSqlNode.class);
			assertThat(context.getBean(AsyncSqlNode.class)).isSameAs(node);
			assertThat(context.getBean(AsyncSqlNodes.class).node("enterprise_db")).isSameAs(node);
			assertThat(node.ping().block(WAIT)).isPositive();
			// Boot's own R2DBC configuration backed off: the only ConnectionFactory is the node's pool
			assertThat(context.getBeansOfType(ConnectionFactory.class)).containsOnlyKeys("enterprise_db-pool");
			assertThat(context.getBean(ConnectionFactory.class)).isSameAs(node.pool().connectionFactory());
			R2dbcTransactionManager transactionManager = context.getBean("enterprise_dbTransactionManager",
					R2dbcTransactionManager.class);
			assertThat(transactionManager.getConnectionFactory()).isSameAs(node.pool().connectionFactory());
			assertThat(context.getBean(ReactiveTransactionManager.class)).isSameAs(transactionManager);
			assertThat(context.getBean(TransactionalOperator.class)).isNotNull();
		});
	}

	@Test
	void nodeMarkedPrimaryWinsAmongSeveral() {
		this.runner.withPropertyValues(node("reader", "transaction-mode=none"))
			.withPropertyValues(node("writer", "primary=true", "share-pool=false"))
			.run(context -> {
				AsyncSqlNode writer = context.getBean("writer", AsyncSqlNode.class);
				assertThat(context.getBean(AsyncSqlNode.class)).isSameAs(writer);
				assertThat(context.getBean(ConnectionFactory.class)).isSameAs(writer.pool().connectionFactory());
				assertThat(context.getBean(ReactiveTransactionManager.class))
					.isSameAs(context.getBean("writerTransactionManager"));
				assertThat(context.getBean("reader", AsyncSqlNode.class).transactionMode()).isEqualTo(TransactionMode.NONE);
			});
	}

	@Test
	void severalNodesWithoutPrimaryStartWithoutAPrimary() {
		this.runner.withPropertyValues(node("a")).withPropertyValues(node("b", "share-pool=false")).run(context -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBeansOfType(AsyncSqlNode.class)).containsOnlyKeys("a", "b");
			assertThatThrownBy(() -> context.getBean(AsyncSqlNode.class))
				.isInstanceOf(NoUniqueBeanDefinitionException.class);
			assertThat(context.getBeansOfType(ConnectionFactory.class)).containsOnlyKeys("a-pool", "b-pool");
			assertThat(context.getBeansOfType(R2dbcTransactionManager.class)).containsOnlyKeys("aTransactionManager",
					"bTransactionManager");
		});
	}

	@Test
	void twoPrimaryNodesFail() {
		this.runner.withPropertyValues(node("a", "primary=true")).withPropertyValues(node("b", "primary=true"))
			.run(context -> assertThat(context).getFailure()
				.satisfies(failure -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
					.isInstanceOf(AsyncSqlConfigurationException.class)
					.hasMessageContaining("asyncsql.nodes.b.primary")));
	}

	@Test
	void hostsReachTheNodeAsItsServers() {
		this.runner.withPropertyValues("asyncsql.nodes.ha.database-type=postgresql", "asyncsql.nodes.ha.database=app",
				"asyncsql.nodes.ha.hosts=db1:5432,db2:5433", "asyncsql.nodes.ha.username=app", "asyncsql.nodes.ha.password=secret")
			.run(context -> {
				NodeSettings settings = context.getBean("ha", AsyncSqlNode.class).settings();
				assertThat(settings.connection().hosts()).containsExactly("db1:5432", "db2:5433");
				assertThat(settings.connection().target()).isEqualTo("postgresql://app@db1:5432,db2:5433/app");
			});
	}

	@Test
	void replicasReachTheNodeWithTheNodesDatabaseAndCredentials() {
		this.runner.withPropertyValues(node("reads", "replicas[0].host=127.0.0.1", "replicas[0].port="
				+ this.database.port(), "max-replica-lag=750ms", "read-your-writes=true"))
			.withPropertyValues(node("writes", "read-routing=primary", "replicas[0].url=r2dbc:postgresql://"
					+ this.database.host() + ":" + this.database.port() + "/" + this.database.database()))
			.run(context -> {
				ReadReplicas reads = context.getBean("reads", AsyncSqlNode.class).settings().readReplicas();
				assertThat(reads.routing()).isEqualTo(ReadRouting.REPLICA);
				assertThat(reads.maxLag()).isEqualTo(Duration.ofMillis(750));
				assertThat(reads.readYourWrites()).isTrue();
				assertThat(reads.replicas()).singleElement()
					.satisfies(replica -> assertThat(replica.database()).isEqualTo(this.database.database()));
				// the endpoint shows the replica once probed: the test server is no standby, so it serves no reads
				AsyncSqlEndpoint endpoint = new AsyncSqlEndpoint(context.getBean(AsyncSqlNodes.class), null);
				org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
					assertThat(endpoint.node("reads").replicas()).singleElement().satisfies(replica -> {
						assertThat(replica.name()).isEqualTo("reads-replica-1");
						assertThat(replica.lagSeconds()).isNotNull();
						assertThat(replica.serving()).isFalse();
					}));
				assertThat(endpoint.node("reads").replicas().get(0).target()).doesNotContain("secret");
				ReadReplicas writes = context.getBean("writes", AsyncSqlNode.class).settings().readReplicas();
				assertThat(writes.routing()).isEqualTo(ReadRouting.PRIMARY);
				assertThat(writes.replicas()).hasSize(1);
			});
	}

	@Test
	void poolerReachesTheNodeAndNoneIsTheDefault() {
		this.runner.withPropertyValues(node("pooled", "pooler=transaction")).withPropertyValues(node("direct"))
			.run(context -> {
				assertThat(context.getBean("pooled", AsyncSqlNode.class).settings().pooler())
					.isEqualTo(Pooler.TRANSACTION);
				assertThat(context.getBean("direct", AsyncSqlNode.class).settings().pooler()).isEqualTo(Pooler.NONE);
				// no session state: the pool's sessions carry no statement timeout of their own
				assertThat(context.getBean("pooled", AsyncSqlNode.class).pool().key().serverStatementTimeout()).isNull();
			});
	}

	@Test
	void defaultsAreMergedUnderEveryNodeKeyByKey() {
		this.runner.withPropertyValues("asyncsql.defaults.timeout=7s", "asyncsql.defaults.retry.max-retries=6",
				"asyncsql.defaults.retry.jitter=false", "asyncsql.defaults.pool.max-size=4",
				"asyncsql.defaults.pool.max-acquire-time=3s", "asyncsql.defaults.transaction-mode=manual",
				"asyncsql.defaults.parameter-types.metadata=jsonb")
			.withPropertyValues(node("merged", "retry.initial-delay=50ms", "pool.max-size=3", "allow-admin=true",
					"parameter-types.role_id=uuid"))
			.run(context -> {
				NodeSettings settings = context.getBean("merged", AsyncSqlNode.class).settings();
				assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(settings.transactionMode()).isEqualTo(TransactionMode.MANUAL);
				assertThat(settings.allowAdmin()).isTrue();
				assertThat(settings.validateQueries()).isTrue();
				assertThat(settings.retry()).isEqualTo(new RetryConfig(6, Duration.ofMillis(50), Duration.ofSeconds(5), 2.0,
						false));
				assertThat(settings.pool()).isEqualTo(PoolSettings.builder().maxSize(3)
					.maxAcquireTime(Duration.ofSeconds(3)).build());
				assertThat(settings.parameterTypes()).containsExactlyInAnyOrderEntriesOf(Map.of("metadata", "jsonb",
						"role_id", "uuid"));
			});
	}

	@Test
	void nodesWithEqualSettingsShareOnePool() {
		this.runner.withPropertyValues(node("data_reader")).withPropertyValues(node("data_writer"))
			.withPropertyValues(node("analytics_reader", "share-pool=false"))
			.withPropertyValues(node("small", "pool.max-size=2"))
			.run(context -> {
				AsyncSqlNode reader = context.getBean("data_reader", AsyncSqlNode.class);
				AsyncSqlNode writer = context.getBean("data_writer", AsyncSqlNode.class);
				assertThat(writer.pool()).isSameAs(reader.pool());
				assertThat(reader.pool().nodeNames()).containsExactlyInAnyOrder("data_reader", "data_writer");
				assertThat(context.getBean("analytics_reader", AsyncSqlNode.class).pool()).isNotSameAs(reader.pool());
				assertThat(context.getBean("small", AsyncSqlNode.class).pool()).isNotSameAs(reader.pool());
				assertThat(context.getBeansOfType(ConnectionFactory.class)).containsOnlyKeys("data_reader-pool",
						"analytics_reader-pool", "small-pool");
				assertThat(context.getBean("data_writerTransactionManager", R2dbcTransactionManager.class)
					.getConnectionFactory()).isSameAs(reader.pool().connectionFactory());
			});
	}

	@Test
	void poolsCloseWithTheContext() {
		AsyncSqlNode[] node = new AsyncSqlNode[1];
		this.runner.withPropertyValues(node("closing")).run(context -> {
			node[0] = context.getBean(AsyncSqlNode.class);
			node[0].ping().block(WAIT);
		});
		assertThat(node[0].pool().connectionFactory().isDisposed()).isTrue();
	}

	@Test
	void urlInsteadOfHostAndDatabase() {
		this.runner.withPropertyValues("asyncsql.nodes.by_url.url=" + this.database.url(),
				"asyncsql.nodes.by_url.ssl-mode=disable").run(context -> {
					AsyncSqlNode node = context.getBean("by_url", AsyncSqlNode.class);
					assertThat(node.ping().block(WAIT)).isPositive();
					assertThat(node.settings().connection().url()).isEqualTo(this.database.url());
				});
	}

	@Test
	void disabledMeansNoBeans() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class))
			.withPropertyValues("asyncsql.enabled=false")
			.withPropertyValues(node("off"))
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(AsyncSqlNodes.class);
				assertThat(context).doesNotHaveBean(AsyncSqlNode.class);
				assertThat(context).doesNotHaveBean("offTransactionManager");
			});
	}

	@Test
	void applicationJacksonMapperIsUsedForJson() {
		this.runner.withBean(tools.jackson.databind.json.JsonMapper.class, () -> tools.jackson.databind.json.JsonMapper.builder().build())
			.withPropertyValues(node("json"))
			.run(context -> assertThat(context.getBean(JsonCodec.class)).isInstanceOf(Jackson3JsonCodec.class));
	}

	@Test
	void primaryNodeWithoutTargetTakesBootConnectionDetails() {
		this.runner.withUserConfiguration(ConnectionDetailsConfiguration.class)
			.withPropertyValues("asyncsql.nodes.from_details.database-type=postgresql")
			.run(context -> {
				AsyncSqlNode node = context.getBean("from_details", AsyncSqlNode.class);
				assertThat(node.settings().connection().host()).isEqualTo(this.database.host());
				assertThat(node.ping().block(WAIT)).isPositive();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ConnectionDetailsConfiguration {

		@Bean
		R2dbcConnectionDetails connectionDetails() {
			ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(TestDatabases.postgres().url());
			return () -> options;
		}

	}

}
