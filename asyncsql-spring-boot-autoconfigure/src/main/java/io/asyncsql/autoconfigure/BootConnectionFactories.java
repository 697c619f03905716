package io.asyncsql.autoconfigure;

import java.util.List;

import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.pool.ConnectionFactoryCustomizer;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.OptionsCapableConnectionFactory;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.util.ClassUtils;

/**
 * Builds the nodes' connection factories the way Spring Boot builds its own, when {@code spring-boot-r2dbc} is on
 * the class path: every pool draws from an {@link OptionsCapableConnectionFactory} (so that Boot's embedded-database
 * detection for SQL initialization sees an H2 node as embedded), and the primary node's pool, being the
 * application's {@code ConnectionFactory}, also gets the application's
 * {@link ConnectionFactoryOptionsBuilderCustomizer} and {@link ConnectionFactoryDecorator} beans in their order (the
 * latter between the driver and the pool, as Boot applies them, so r2dbc-proxy observes every statement). A node
 * with {@code connection-factory} takes its connections from that bean instead, as it is.
 */
final class BootConnectionFactories implements ConnectionFactoryCustomizer {

	private static final boolean PRESENT = ClassUtils.isPresent("org.springframework.boot.r2dbc.ConnectionFactoryDecorator",
			BootConnectionFactories.class.getClassLoader());

	private final List<ConnectionFactoryOptionsBuilderCustomizer> optionsCustomizers;

	private final List<ConnectionFactoryDecorator> decorators;

	private BootConnectionFactories(List<ConnectionFactoryOptionsBuilderCustomizer> optionsCustomizers,
			List<ConnectionFactoryDecorator> decorators) {
		this.optionsCustomizers = optionsCustomizers;
		this.decorators = decorators;
	}

	/**
	 * The customizer for one node.
	 * @param beanFactory where the application's customizers and decorators are
	 * @param primary whether the node is the primary one
	 * @param connectionFactoryBean the bean the node takes its connections from, or {@code null}
	 * @return the customizer; {@link ConnectionFactoryCustomizer#NONE} without {@code spring-boot-r2dbc}
	 */
	static ConnectionFactoryCustomizer forNode(ListableBeanFactory beanFactory, boolean primary,
			@Nullable String connectionFactoryBean) {
		if (connectionFactoryBean != null) {
			return new ConnectionFactoryCustomizer() {
				@Override
				public ConnectionFactory customizeConnectionFactory(NodeSettings node, ConnectionFactoryOptions options,
						ConnectionFactory connectionFactory) {
					return beanFactory.getBean(connectionFactoryBean, ConnectionFactory.class);
				}
			};
		}
		if (!PRESENT) {
			return ConnectionFactoryCustomizer.NONE;
		}
		if (!primary) {
			return new BootConnectionFactories(List.of(), List.of());
		}
		return new BootConnectionFactories(
				beanFactory.getBeanProvider(ConnectionFactoryOptionsBuilderCustomizer.class).orderedStream().toList(),
				beanFactory.getBeanProvider(ConnectionFactoryDecorator.class).orderedStream().toList());
	}

	@Override
	public ConnectionFactoryOptions customizeOptions(NodeSettings node, ConnectionFactoryOptions options) {
		if (this.optionsCustomizers.isEmpty()) {
			return options;
		}
		ConnectionFactoryOptions.Builder builder = options.mutate();
		this.optionsCustomizers.forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

	@Override
	public ConnectionFactory customizeConnectionFactory(NodeSettings node, ConnectionFactoryOptions options,
			ConnectionFactory connectionFactory) {
		ConnectionFactory decorated = new OptionsCapableConnectionFactory(options, connectionFactory);
		for (ConnectionFactoryDecorator decorator : this.decorators) {
			decorated = decorator.decorate(decorated);
		}
		return decorated;
	}

}
