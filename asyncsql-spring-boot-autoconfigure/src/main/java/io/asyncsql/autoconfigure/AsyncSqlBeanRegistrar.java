package io.asyncsql.autoconfigure;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.r2dbc.pool.ConnectionPool;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
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
 * are only views onto the {@link AsyncSqlNodes} registry, which creates and closes nodes and pools, made by
 * {@link NodeBeans}' factory methods so that Spring AOT can generate them. A node or pool name the application
 * already uses for a bean stops the startup naming the node; an application's own {@code <node>TransactionManager}
 * bean replaces the node's.
 */
class AsyncSqlBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	static final String NODE_BEANS = "asyncSqlNodeBeans";

	static final String CONNECTION_DETAILS = "org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails";

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		AsyncSqlProperties properties = PropertyKeys.bind(Binder.get(this.environment));
		NodeLayout layout = NodeLayout.of(properties,
				hasConnectionDetails(registry) ? NodeLayout.deferredConnectionDetails() : null);
		for (var settings : layout.settings()) {
			String name = settings.name();
			boolean primary = name.equals(layout.primary());
			requireFree(registry, name, "node", name);
			register(registry, name, AsyncSqlNode.class, "node", name, primary);
			// an application's own transaction manager of that name replaces the node's
			if (!registry.containsBeanDefinition(name + "TransactionManager")) {
				register(registry, name + "TransactionManager", R2dbcTransactionManager.class, "transactionManager",
						name, primary);
			}
		}
		layout.poolOwners().forEach((pool, owner) -> {
			requireFree(registry, pool, "pool of node", owner);
			register(registry, pool, ConnectionPool.class, "connectionFactory", owner,
					layout.poolGroups().get(pool).contains(layout.primary()));
		});
	}

	// factory-method definitions, not instance suppliers, so that Spring AOT can write them out ahead of time
	private static void register(BeanDefinitionRegistry registry, String name, Class<?> type, String factoryMethod,
			String nodeName, boolean primary) {
		RootBeanDefinition definition = new RootBeanDefinition(type);
		definition.setFactoryBeanName(NODE_BEANS);
		definition.setFactoryMethodName(factoryMethod);
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, nodeName);
		definition.setPrimary(primary);
		// the registry closes nodes and pools; these beans must not be closed twice
		definition.setDestroyMethodName(null);
		registry.registerBeanDefinition(name, definition);
	}

	private static void requireFree(BeanDefinitionRegistry registry, String beanName, String what, String nodeName) {
		if (registry.containsBeanDefinition(beanName)) {
			BeanDefinition existing = registry.getBeanDefinition(beanName);
			String origin = (existing.getResourceDescription() != null) ? " (" + existing.getResourceDescription() + ")"
					: "";
			throw new AsyncSqlConfigurationException("asyncsql.nodes." + nodeName, "needs the bean name '" + beanName
					+ "' for its " + what + ", but the application already defines a bean of that name" + origin,
					"Rename the node or the application's bean. To run a node on a ConnectionFactory of your own, "
							+ "set asyncsql.nodes." + nodeName + ".connection-factory to that bean's name.");
		}
	}

	private static boolean hasConnectionDetails(BeanDefinitionRegistry registry) {
		ClassLoader classLoader = AsyncSqlBeanRegistrar.class.getClassLoader();
		if (!ClassUtils.isPresent(CONNECTION_DETAILS, classLoader) || !(registry instanceof ListableBeanFactory beans)) {
			return false;
		}
		return beans.getBeanNamesForType(ClassUtils.resolveClassName(CONNECTION_DETAILS, classLoader), true, false).length > 0;
	}

}
