package io.asyncsql.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;

import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.pool.PoolStats;
import io.asyncsql.core.pool.SharedPool;

/**
 * A pool as the endpoint and health show it: its name, the nodes sharing it, its settings and current figures.
 *
 * @param name the pool name
 * @param sharedBy the nodes using the pool
 * @param acquired connections in use
 * @param allocated connections open
 * @param idle connections open and free
 * @param pendingAcquire callers waiting
 * @param maxSize the most connections
 * @param initialSize connections opened at start
 * @param maxAcquireTime how long callers wait at most
 * @param maxIdleTime idle connections are closed after this
 * @param maxLifeTime connections are recycled after this
 */
public record PoolDescriptor(String name, List<String> sharedBy, int acquired, int allocated, int idle,
		int pendingAcquire, int maxSize, int initialSize, Duration maxAcquireTime, Duration maxIdleTime,
		Duration maxLifeTime) {

	/**
	 * Describes a pool.
	 * @param pool the pool
	 * @return its description
	 */
	public static PoolDescriptor of(SharedPool pool) {
		PoolStats stats = pool.stats();
		PoolSettings settings = pool.key().pool();
		return new PoolDescriptor(pool.name(), pool.nodeNames().stream().sorted().toList(), stats.acquired(),
				stats.allocated(), stats.idle(), stats.pendingAcquire(), settings.maxSize(), settings.initialSize(),
				settings.maxAcquireTime(), settings.maxIdleTime(), settings.maxLifeTime());
	}

}
