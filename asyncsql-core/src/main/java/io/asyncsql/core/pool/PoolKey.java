package io.asyncsql.core.pool;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Pooler;

/**
 * What makes two nodes' pools interchangeable: the same target and credentials (database type, url or
 * host/port/database, username, password, SSL mode, driver options), the same pool settings, and the same
 * server-side statement timeout, which is a setting of each connection's session.
 *
 * @param connection the connection settings
 * @param pool the pool settings
 * @param serverStatementTimeout the statement timeout the pool's sessions start with, or {@code null} when they
 * have none because the node is behind a transaction-pooling proxy, where a session setting would reach other clients
 */
public record PoolKey(ConnectionSettings connection, PoolSettings pool, @Nullable Duration serverStatementTimeout) {

	/**
	 * The key of a node's pool.
	 * @param settings the node settings
	 * @return the key
	 */
	public static PoolKey of(NodeSettings settings) {
		return new PoolKey(settings.connection(), settings.pool(),
				(settings.pooler() == Pooler.TRANSACTION) ? null : settings.timeout());
	}

}
