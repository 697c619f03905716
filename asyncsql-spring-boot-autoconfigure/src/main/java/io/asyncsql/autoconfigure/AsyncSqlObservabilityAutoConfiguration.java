package io.asyncsql.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsql.autoconfigure.actuate.AsyncSqlEndpoint;
import io.asyncsql.autoconfigure.actuate.AsyncSqlNodeHealthIndicator;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.locking.OptimisticLockManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health and the {@code asyncsql} endpoint. Meters ({@code asyncsql.*}) and observations come with the nodes
 * themselves; pool gauges ({@code r2dbc.pool.*}) come from Spring Boot's connection pool metrics, which bind every
 * pool since each is a {@code ConnectionFactory} bean.
 */
@AutoConfiguration(after = AsyncSqlAutoConfiguration.class)
@ConditionalOnBean(AsyncSqlNodes.class)
public final class AsyncSqlObservabilityAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveHealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("asyncsql")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "asyncsqlHealthContributor")
		ReactiveHealthContributor asyncsqlHealthContributor(AsyncSqlNodes nodes) {
			// always a composite, one component per node, even with a single node
			Map<String, AsyncSqlNodeHealthIndicator> indicators = new LinkedHashMap<>();
			for (AsyncSqlNode node : nodes.all()) {
				indicators.put(node.name(), new AsyncSqlNodeHealthIndicator(node));
			}
			return CompositeReactiveHealthContributor.fromMap(indicators);
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
