package io.asyncsql.autoconfigure;

import java.time.Duration;

import io.asyncsql.autoconfigure.actuate.AsyncSqlNodeHealthIndicator;
import io.asyncsql.autoconfigure.actuate.PoolCheck;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.metrics.AcquireMetrics;
import io.asyncsql.core.observation.AsyncSqlObservations;
import io.asyncsql.core.observation.DefaultQueryObservationConvention;
import io.asyncsql.core.observation.DefaultTransactionObservationConvention;
import io.asyncsql.core.observation.QueryObservationContext;
import io.asyncsql.core.observation.QueryObservationConvention;
import io.asyncsql.core.observation.TransactionObservationContext;
import io.asyncsql.core.observation.TransactionObservationConvention;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the observability auto-configuration adds: the application's observation conventions reach the nodes,
 * statements are timed once, pool gauges carry the {@code pool} tag, and each pool is checked once.
 */
class ObservabilityAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final TestDatabase database = TestDatabases.postgres();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, R2dbcAutoConfiguration.class,
				AsyncSqlObservabilityAutoConfiguration.class, ConnectionFactoryHealthContributorAutoConfiguration.class));

	private String[] node(String name) {
		String prefix = "asyncsql.nodes." + name + ".";
		return new String[] { prefix + "database-type=postgresql", prefix + "host=" + this.database.host(),
				prefix + "port=" + this.database.port(), prefix + "database=" + this.database.database(),
				prefix + "username=" + this.database.username(), prefix + "pool.initial-size=0" };
	}

	@Test
	void conventionBeansReplaceTheDefaults() {
		TestObservationRegistry observations = TestObservationRegistry.create();
		this.runner.withPropertyValues(node("conventional"))
			.withBean(TestObservationRegistry.class, () -> observations)
			.withUserConfiguration(Conventions.class)
			.run(context -> {
				AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
				node.inTransaction(tx -> tx.execute("SELECT 1")).blockLast(WAIT);
				TestObservationRegistryAssert.assertThat(observations)
					.hasObservationWithNameEqualTo(AsyncSqlObservations.QUERY)
					.that()
					.hasContextualNameEqualTo("sql conventional")
					.hasLowCardinalityKeyValue("team", "payments")
					.hasLowCardinalityKeyValue("db.system.name", "postgresql");
				TestObservationRegistryAssert.assertThat(observations)
					.hasObservationWithNameEqualTo(AsyncSqlObservations.TRANSACTION)
					.that()
					.hasLowCardinalityKeyValue("team", "payments")
					.hasLowCardinalityKeyValue("asyncsql.outcome", "commit");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Conventions {

		@Bean
		QueryObservationConvention teamQueries() {
			return new DefaultQueryObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(QueryObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "payments");
				}

				@Override
				public String getContextualName(QueryObservationContext context) {
					return "sql " + context.getNodeName();
				}

			};
		}

		@Bean
		TransactionObservationConvention teamTransactions() {
			return new DefaultTransactionObservationConvention() {

				@Override
				public KeyValues getLowCardinalityKeyValues(TransactionObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "payments");
				}

			};
		}

	}

	@Test
	void statementsAreTimedOnceEvenWithTheObservationBridge() {
		this.runner.withPropertyValues(node("once")).run(context -> {
			SimpleMeterRegistry meters = new SimpleMeterRegistry();
			meters.config().meterFilter(context.getBean("asyncSqlMeterFilter", MeterFilter.class));
			// what Boot's observation-to-metrics bridge does with every observation
			TestObservationRegistry observations = TestObservationRegistry.create();
			observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
			try (AsyncSqlNode node = AsyncSqlNode.builder(context.getBean(AsyncSqlNode.class).settings())
				.meterRegistry(meters)
				.observationRegistry(observations)
				.build()) {
				node.inTransaction(tx -> tx.execute("SELECT 1")).blockLast(WAIT);
			}
			TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo(AsyncSqlObservations.QUERY);
			assertThat(meters.getMeters()).extracting(m -> m.getId().getName())
				.contains("asyncsql.queries", "asyncsql.transactions", AcquireMetrics.ACQUIRE)
				.noneMatch(name -> name.startsWith("asyncsql.query.") || name.equals("asyncsql.query")
						|| name.startsWith("asyncsql.transaction.") || name.equals("asyncsql.transaction"));
			Timer queries = meters.find("asyncsql.queries").tag("node", "once").tag("outcome", "success").timer();
			assertThat(queries).isNotNull();
			assertThat(queries.count()).isEqualTo(1);
		});
	}

	@Test
	void bootsPoolGaugesGetThePoolTagBesideTheirName() {
		this.runner.withPropertyValues(node("tagged")).run(context -> {
			MeterFilter filter = context.getBean("asyncSqlMeterFilter", MeterFilter.class);
			MeterRegistry meters = new SimpleMeterRegistry();
			meters.config().meterFilter(filter);
			meters.gauge("r2dbc.pool.acquired", io.micrometer.core.instrument.Tags.of("name", "tagged-pool"), 1);
			assertThat(meters.get("r2dbc.pool.acquired").gauge().getId().getTag("pool")).isEqualTo("tagged-pool");
			assertThat(meters.get("r2dbc.pool.acquired").gauge().getId().getTag("name")).isEqualTo("tagged-pool");
		});
	}

	@Test
	void r2dbcHealthLeavesAsyncsqlPoolsOutButChecksOtherConnectionFactories() {
		this.runner.withPropertyValues(node("alone")).run(context -> {
			ReactiveHealthContributor r2dbc = context.getBean("r2dbcHealthContributor", ReactiveHealthContributor.class);
			assertThat(r2dbc).isInstanceOf(CompositeReactiveHealthContributor.class);
			assertThat(((CompositeReactiveHealthContributor) r2dbc).stream()).isEmpty();
		});
		this.runner.withPropertyValues(node("beside"))
			.withBean("reporting", ConnectionFactory.class, () -> ConnectionFactories.get(this.database.url()),
					definition -> definition.setPrimary(false))
			.run(context -> {
				ConnectionFactoryHealthIndicator r2dbc = context.getBean("r2dbcHealthContributor",
						ConnectionFactoryHealthIndicator.class);
				Health health = r2dbc.health().block(WAIT);
				assertThat(health.getStatus().getCode()).isEqualTo("UP");
				assertThat(health.getDetails()).containsEntry("database", "PostgreSQL");
			});
		this.runner.withPropertyValues(node("unchecked")).withPropertyValues("management.health.asyncsql.enabled=false")
			.run(context -> {
				assertThat(context).doesNotHaveBean("asyncsqlHealthContributor");
				// Boot's own contributor, checking the pool as it does every connection factory
				assertThat(context.getBean("r2dbcHealthContributor")).isInstanceOf(ConnectionFactoryHealthIndicator.class);
			});
	}

	@Test
	void nodesSharingAPoolShareOneCheck() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.runner.withPropertyValues(node("first")).withPropertyValues(node("second"))
			.withBean(MeterRegistry.class, () -> meters)
			.run(context -> {
				AsyncSqlNodes nodes = context.getBean(AsyncSqlNodes.class);
				assertThat(nodes.node("first").pool()).isSameAs(nodes.node("second").pool());
				CompositeReactiveHealthContributor health = context.getBean("asyncsqlHealthContributor",
						CompositeReactiveHealthContributor.class);
				AsyncSqlNodeHealthIndicator first = (AsyncSqlNodeHealthIndicator) health.getContributor("first");
				AsyncSqlNodeHealthIndicator second = (AsyncSqlNodeHealthIndicator) health.getContributor("second");
				Timer acquire = meters.get(AcquireMetrics.ACQUIRE).tag("pool", nodes.node("first").pool().name()).timer();
				long before = acquire.count();
				// Actuator subscribes to the components of one health request together
				Health[] results = Mono.zip(first.health(), second.health()).map(t -> new Health[] { t.getT1(), t.getT2() })
					.block(WAIT);
				assertThat(results).extracting(Health::getStatus).extracting(Object::toString).containsExactly("UP", "UP");
				assertThat(acquire.count() - before).isEqualTo(1);
				// the next request checks again
				first.health().block(WAIT);
				assertThat(acquire.count() - before).isEqualTo(2);
			});
	}

	@Test
	void aDownNodeSaysWhatToCheck() {
		String prefix = "asyncsql.nodes.unreachable.";
		this.runner.withPropertyValues(prefix + "database-type=postgresql", prefix + "host=127.0.0.1", prefix + "port=1",
				prefix + "database=nowhere", prefix + "username=nobody", prefix + "password=pw-secret-123",
				prefix + "retry.max-retries=0", prefix + "pool.initial-size=0")
			.run(context -> {
				AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
				Health health = new AsyncSqlNodeHealthIndicator(node, new PoolCheck(node)).health().block(WAIT);
				assertThat(health.getStatus().getCode()).isEqualTo("DOWN");
				assertThat(health.getDetails().get("hint").toString()).contains("postgresql://nobody@127.0.0.1:1/nowhere")
					.contains("asyncsql.nodes.unreachable.host");
				assertThat(health.toString()).doesNotContain("pw-secret-123");
			});
	}

}
