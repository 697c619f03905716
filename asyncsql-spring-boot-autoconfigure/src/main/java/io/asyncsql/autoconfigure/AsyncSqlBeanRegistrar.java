package io.asyncsql.autoconfigure;

import java.util.function.Supplier;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.r2dbc.pool.ConnectionPool;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.util.ClassUtils;

/**
 * Registers the beans whose names come from configuration: one {@link AsyncSqlNode} per node (named after it), one
 * {@link R2dbcTransactionManager} per node ({@code <node>TransactionManager}, over the node's pool) and one
 * {@code ConnectionFactory} per pool (named after the pool), with the primary node's beans marked primary.
 * <p>
 * Registered while configuration classes are processed, ahead of Spring Boot's R2DBC auto-configuration, so that
 * its {@code @ConditionalOnMissingBean(ConnectionFactory.class)} sees the pools and backs off. The beans themselves
 * are only views onto the {@link AsyncSqlNodes} registry, which creates and closes nodes and pools.
 */
class AsyncSqlBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware {

	static final String CONNECTION_DETAILS = "org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails";

	private @Nullable Environment environment;

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		AsyncSqlProperties properties = Binder.get(this.environment)
			.bindOrCreate("asyncsql", AsyncSqlProperties.class);
		NodeLayout layout = NodeLayout.of(properties,
				hasConnectionDetails(registry) ? NodeLayout.deferredConnectionDetails() : null);
		for (var settings : layout.settings()) {
			String name = settings.name();
			boolean primary = name.equals(layout.primary());
			register(registry, name, AsyncSqlNode.class, () -> nodes().node(name), primary);
			register(registry, name + "TransactionManager", R2dbcTransactionManager.class,
					() -> new R2dbcTransactionManager(nodes().node(name).pool().connectionFactory()), primary);
		}
		layout.poolOwners().forEach((pool, owner) -> register(registry, pool, ConnectionPool.class,
				() -> nodes().node(owner).pool().connectionFactory(),
				layout.poolGroups().get(pool).contains(layout.primary())));
	}

	private <T> void register(BeanDefinitionRegistry registry, String name, Class<T> type, Supplier<T> supplier,
			boolean primary) {
		RootBeanDefinition definition = new RootBeanDefinition(type, supplier);
		definition.setPrimary(primary);
		// the registry closes nodes and pools; these beans must not be closed twice
		definition.setDestroyMethodName(null);
		definition.setDependsOn("asyncSqlNodes");
		registry.registerBeanDefinition(name, definition);
	}

	private AsyncSqlNodes nodes() {
		return this.beanFactory.getBean(AsyncSqlNodes.class);
	}

	private static boolean hasConnectionDetails(BeanDefinitionRegistry registry) {
		ClassLoader classLoader = AsyncSqlBeanRegistrar.class.getClassLoader();
		if (!ClassUtils.isPresent(CONNECTION_DETAILS, classLoader) || !(registry instanceof ListableBeanFactory beans)) {
			return false;
		}
		return beans.getBeanNamesForType(ClassUtils.resolveClassName(CONNECTION_DETAILS, classLoader), true, false).length > 0;
	}

}
