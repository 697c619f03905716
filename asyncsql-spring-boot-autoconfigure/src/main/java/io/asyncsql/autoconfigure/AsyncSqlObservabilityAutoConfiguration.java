package io.asyncsql.autoconfigure;

import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.asyncsql.autoconfigure.actuate.AsyncSqlEndpoint;
import io.asyncsql.autoconfigure.actuate.AsyncSqlNodeHealthIndicator;
import io.asyncsql.autoconfigure.actuate.PoolCheck;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.metrics.AcquireMetrics;
import io.asyncsql.core.observation.AsyncSqlObservations;
import io.asyncsql.core.pool.SharedPool;
import io.asyncsql.locking.OptimisticLockManager;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.r2dbc.spi.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health, the {@code asyncsql} endpoint and the meter rules. Meters ({@code asyncsql.*}) and observations come with
 * the nodes themselves (observations with the application's {@code QueryObservationConvention} /
 * {@code TransactionObservationConvention} beans, passed in by {@link AsyncSqlAutoConfiguration}); pool gauges
 * ({@code r2dbc.pool.*}) come from Spring Boot's connection pool metrics, which bind every pool since each is a
 * {@code ConnectionFactory} bean.
 * <p>
 * Each measurement is made once: the nodes time statements themselves ({@code asyncsql.queries}, with closed tag
 * sets dashboards rely on), so the timers Spring Boot's observation bridge would derive from the same
 * observations are not registered; the observations still reach tracing. Each pool is checked once: by the
 * {@code asyncsql} health contributor, so Boot's {@code r2dbc} contributor leaves asyncsql pools out.
 */
@AutoConfiguration(after = AsyncSqlAutoConfiguration.class,
		beforeName = "org.springframework.boot.r2dbc.autoconfigure.health.ConnectionFactoryHealthContributorAutoConfiguration")
@ConditionalOnBean(AsyncSqlNodes.class)
public final class AsyncSqlObservabilityAutoConfiguration {

	/** The meters the observation bridge would derive: the timers, and {@code .active} and event meters below them. */
	private static final Set<String> DERIVED_METERS = Set.of(AsyncSqlObservations.QUERY,
			AsyncSqlObservations.TRANSACTION);

	private static final String R2DBC_POOL_PREFIX = "r2dbc.pool.";

	// stops the second timing of every statement, and gives Boot's pool gauges the pool tag all asyncsql pool meters
	// carry (their own name tag stays, for existing dashboards)
	@Bean
	@ConditionalOnMissingBean(name = "asyncSqlMeterFilter")
	MeterFilter asyncSqlMeterFilter() {
		return new MeterFilter() {

			@Override
			public MeterFilterReply accept(Meter.Id id) {
				String name = id.getName();
				boolean derived = DERIVED_METERS.contains(name) || name.startsWith(AsyncSqlObservations.QUERY + ".")
						|| name.startsWith(AsyncSqlObservations.TRANSACTION + ".");
				return derived ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
			}

			@Override
			public Meter.Id map(Meter.Id id) {
				if (id.getName().startsWith(R2DBC_POOL_PREFIX) && id.getTag(AcquireMetrics.POOL_TAG) == null) {
					String pool = id.getTag("name");
					if (pool != null) {
						return id.withTag(Tag.of(AcquireMetrics.POOL_TAG, pool));
					}
				}
				return id;
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("asyncsql")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "asyncsqlHealthContributor")
		ReactiveHealthContributor asyncsqlHealthContributor(AsyncSqlNodes nodes) {
			// always a composite, one component per node, even with a single node; one check per pool
			Map<SharedPool, PoolCheck> checks = new IdentityHashMap<>();
			Map<String, AsyncSqlNodeHealthIndicator> indicators = new LinkedHashMap<>();
			for (AsyncSqlNode node : nodes.all()) {
				PoolCheck check = checks.computeIfAbsent(node.pool(), pool -> new PoolCheck(node));
				indicators.put(node.name(), new AsyncSqlNodeHealthIndicator(node, check));
			}
			return CompositeReactiveHealthContributor.fromMap(indicators);
		}

		/**
		 * Boot's {@code r2dbc} health contributor for the application's other connection factories only: asyncsql pools
		 * are checked by the {@code asyncsql} contributor. Without other connection factories it is empty, and health
		 * shows no {@code r2dbc} component. With {@code management.health.asyncsql.enabled=false} Boot's contributor
		 * checks the pools as usual.
		 */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.ReactiveHealthContributor",
				"org.springframework.boot.r2dbc.health.ConnectionFactoryHealthIndicator" })
		@ConditionalOnEnabledHealthIndicator("r2dbc")
		static class R2dbcHealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = { "r2dbcHealthIndicator", "r2dbcHealthContributor" })
			ReactiveHealthContributor r2dbcHealthContributor(ConfigurableListableBeanFactory beanFactory,
					AsyncSqlNodes nodes) {
				Set<Object> pools = Collections.newSetFromMap(new IdentityHashMap<>());
				Set<String> poolNames = new HashSet<>();
				for (SharedPool pool : nodes.pools().pools()) {
					pools.add(pool.connectionFactory());
					poolNames.add(pool.name());
				}
				Map<String, ConnectionFactory> others = new LinkedHashMap<>();
				for (String name : beanFactory.getBeanNamesForType(ConnectionFactory.class)) {
					if (poolNames.contains(name) || !isDefaultCandidate(beanFactory, name)) {
						continue;
					}
					ConnectionFactory factory = beanFactory.getBean(name, ConnectionFactory.class);
					if (!pools.contains(factory)) {
						others.put(name, factory);
					}
				}
				// shaped as Boot shapes it: a single connection factory is the component itself
				return (others.size() == 1) ? new ConnectionFactoryHealthIndicator(others.values().iterator().next())
						: CompositeReactiveHealthContributor.fromMap(others, ConnectionFactoryHealthIndicator::new);
			}

			// as Boot's own contributor: connection factories that are not default candidates are not checked
			private static boolean isDefaultCandidate(ConfigurableListableBeanFactory beanFactory, String name) {
				if (!beanFactory.containsBeanDefinition(name)) {
					return true;
				}
				BeanDefinition definition = beanFactory.getBeanDefinition(name);
				return definition.isAutowireCandidate()
						&& (!(definition instanceof AbstractBeanDefinition bean) || bean.isDefaultCandidate());
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(AsyncSqlEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		AsyncSqlEndpoint asyncSqlEndpoint(AsyncSqlNodes nodes, ObjectProvider<OptimisticLockManager> locks) {
			return new AsyncSqlEndpoint(nodes, locks.getIfAvailable());
		}

	}

}
