package io.asyncsql.core.pool;

import io.asyncsql.core.NodeSettings;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;

/**
 * Changes how a new pool gets its connections, for integrations such as Spring Boot's option customizers and
 * connection factory decorators. Called once for each pool made, never for a node that joins an existing pool.
 * Both steps default to no change.
 */
public interface ConnectionFactoryCustomizer {

	/** Changes nothing. */
	ConnectionFactoryCustomizer NONE = new ConnectionFactoryCustomizer() {
	};

	/**
	 * Changes the driver options before the driver's connection factory is made.
	 * @param node the settings of the node the pool is made for
	 * @param options the options asyncsql computed for the node
	 * @return the options to use
	 */
	default ConnectionFactoryOptions customizeOptions(NodeSettings node, ConnectionFactoryOptions options) {
		return options;
	}

	/**
	 * Wraps or replaces the driver's connection factory the pool will draw connections from. Returning an
	 * r2dbc-pool {@code ConnectionPool} makes the node use that pool as it is (its owner closes it).
	 * @param node the settings of the node the pool is made for
	 * @param options the options the factory was made from
	 * @param connectionFactory the driver's connection factory
	 * @return the connection factory to pool
	 */
	default ConnectionFactory customizeConnectionFactory(NodeSettings node, ConnectionFactoryOptions options,
			ConnectionFactory connectionFactory) {
		return connectionFactory;
	}

}
