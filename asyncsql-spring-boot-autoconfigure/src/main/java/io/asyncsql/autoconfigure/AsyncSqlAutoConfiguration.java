package io.asyncsql.autoconfigure;

import java.util.List;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.json.Jackson2JsonCodec;
import io.asyncsql.core.json.Jackson3JsonCodec;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.observation.QueryObservationConvention;
import io.asyncsql.core.observation.TransactionObservationConvention;
import io.asyncsql.core.pool.ConnectionPools;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Turns {@code asyncsql.nodes.*} into beans: the {@link AsyncSqlNodes} registry (which owns every node and pool and
 * closes them with the context), an {@link AsyncSqlNode} bean per node, a transaction manager per node and a
 * {@code ConnectionFactory} per pool (see {@link AsyncSqlBeanRegistrar}). Runs before Spring Boot's R2DBC
 * auto-configuration, which then backs off: the primary node's pool is the application's {@code ConnectionFactory}.
 * Also provides the {@code OptimisticLockManager} and the {@code @OptimisticLocked} aspect.
 */
@AutoConfiguration(
		beforeName = { "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration",
				"org.springframework.boot.r2dbc.autoconfigure.R2dbcTransactionManagerAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" },
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration" })
@ConditionalOnClass(AsyncSqlNode.class)
@ConditionalOnBooleanProperty(name = "asyncsql.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AsyncSqlProperties.class)
@Import({ AsyncSqlBeanRegistrar.class, AsyncSqlAutoConfiguration.JsonCodecConfiguration.class,
		AsyncSqlLockingConfiguration.class })
public final class AsyncSqlAutoConfiguration {

	// not replaceable: the node, transaction manager and pool beans are registered from the same properties and
	// depend on this registry by name; applications customise it through a JsonCodec, MeterRegistry or
	// ObservationRegistry bean, or a QueryObservationConvention / TransactionObservationConvention bean
	@Bean(destroyMethod = "close")
	AsyncSqlNodes asyncSqlNodes(AsyncSqlProperties properties, ListableBeanFactory beanFactory, Environment environment,
			ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<JsonCodec> jsonCodec, ObjectProvider<QueryObservationConvention> queryConvention,
			ObjectProvider<TransactionObservationConvention> transactionConvention,
			ObjectProvider<AsyncSqlNodeCustomizer> nodeCustomizers) {
		NodeLayout layout = NodeLayout.of(properties, BootConnectionDetails.options(beanFactory));
		SpringR2dbcUrl.warnIfIgnored(environment, layout);
		MeterRegistry meters = meterRegistry.getIfAvailable();
		ObservationRegistry observations = observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP);
		JsonCodec json = jsonCodec.getIfAvailable(JsonCodec::detect);
		List<AsyncSqlNodeCustomizer> customizers = nodeCustomizers.orderedStream().toList();
		List<NodeSettings> settings = layout.settings().stream().map(node -> customize(node, customizers)).toList();
		return AsyncSqlNodes.create(settings, new ConnectionPools(meters), builder -> builder
			.meterRegistry(meters)
			.observationRegistry(observations)
			.queryObservationConvention(queryConvention.getIfAvailable())
			.transactionObservationConvention(transactionConvention.getIfAvailable())
			.jsonCodec(json)
			.connectionFactoryCustomizer(BootConnectionFactories.forNode(beanFactory,
					builder.settings().name().equals(layout.primary()),
					properties.getNodes().get(builder.settings().name()).getConnectionFactory())));
	}

	@Bean(AsyncSqlBeanRegistrar.NODE_BEANS)
	NodeBeans asyncSqlNodeBeans(AsyncSqlNodes nodes) {
		return new NodeBeans(nodes);
	}

	private static NodeSettings customize(NodeSettings node, List<AsyncSqlNodeCustomizer> customizers) {
		NodeSettings customized = node;
		for (AsyncSqlNodeCustomizer customizer : customizers) {
			customized = customizer.customize(customized);
		}
		if (!customized.name().equals(node.name())) {
			throw new AsyncSqlConfigurationException("asyncsql.nodes." + node.name(), "was renamed to '"
					+ customized.name() + "' by an AsyncSqlNodeCustomizer", "Rename nodes in the configuration instead: "
							+ "bean names are fixed before customizers run.");
		}
		return customized;
	}

	/**
	 * JSON through the application's Jackson mapper: Jackson 3 when present, otherwise Jackson 2.
	 */
	@Configuration(proxyBeanMethods = false)
	@Import({ JsonCodecConfiguration.Jackson3.class, JsonCodecConfiguration.Jackson2.class })
	static class JsonCodecConfiguration {

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "tools.jackson.databind.ObjectMapper")
		static class Jackson3 {

			@Bean
			@ConditionalOnMissingBean(JsonCodec.class)
			JsonCodec asyncSqlJsonCodec(ObjectProvider<tools.jackson.databind.ObjectMapper> mapper) {
				tools.jackson.databind.ObjectMapper objectMapper = mapper.getIfAvailable();
				return (objectMapper != null) ? new Jackson3JsonCodec(objectMapper) : JsonCodec.detect();
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(name = "com.fasterxml.jackson.databind.ObjectMapper")
		static class Jackson2 {

			@Bean
			@ConditionalOnMissingBean(JsonCodec.class)
			JsonCodec asyncSqlJsonCodec(ObjectProvider<com.fasterxml.jackson.databind.ObjectMapper> mapper) {
				com.fasterxml.jackson.databind.ObjectMapper objectMapper = mapper.getIfAvailable();
				return (objectMapper != null) ? new Jackson2JsonCodec(objectMapper) : JsonCodec.detect();
			}

		}

	}

}
