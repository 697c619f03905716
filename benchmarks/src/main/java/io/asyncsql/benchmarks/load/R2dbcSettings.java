package io.asyncsql.benchmarks.load;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.pool.ConnectionPools;
import io.r2dbc.pool.ConnectionPool;

/**
 * Builds the r2dbc-pool of the R2DBC clients exactly as a node builds its own (same driver options, prepared
 * statement cache, validation depth, sizes and timeouts), so that the raw and {@code DatabaseClient} figures
 * differ from the node's only by what the node does on top.
 */
final class R2dbcSettings {

	private R2dbcSettings() {
	}

	/**
	 * Node settings for a client.
	 * @param name the node name; connections show as {@code application_name = asyncsql-<name>}
	 * @param target the server
	 * @param poolSize connections
	 * @return the settings: AUTO mode, validation on, everything else at its default
	 */
	static NodeSettings node(String name, Target target, int poolSize) {
		ConnectionSettings connection = ConnectionSettings.of(DatabaseType.POSTGRESQL, target.host(), target.port(),
				target.database(), target.user(), target.password().isEmpty() ? null : target.password());
		return NodeSettings.builder(name)
			.connection(connection)
			.pool(PoolSettings.builder().maxSize(poolSize).build())
			.build();
	}

	/**
	 * An r2dbc-pool configured like a node's.
	 * @param pools the registry that will close it
	 * @param name the pool's client name
	 * @param target the server
	 * @param poolSize connections
	 * @return the pool
	 */
	static ConnectionPool pool(ConnectionPools pools, String name, Target target, int poolSize) {
		Dialect dialect = Dialects.of(DatabaseType.POSTGRESQL, JsonCodec.detect());
		return pools.lease(node(name, target, poolSize), dialect::createConnectionFactory).connectionFactory();
	}

}
