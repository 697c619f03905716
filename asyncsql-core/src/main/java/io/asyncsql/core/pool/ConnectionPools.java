package io.asyncsql.core.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.metrics.AcquireMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry that owns connection pools. Nodes lease a pool by their settings: nodes whose {@link PoolKey} is
 * equal and that both allow sharing get the same pool; a pool is closed when its last node releases it, and all
 * remaining pools are closed with the registry.
 * <p>
 * Pools are configured defensively: every wait (acquire, connection creation, validation) is bounded, idle
 * connections are validated cheaply (locally) before being handed out, and only idle connections are ever
 * evicted.
 */
public final class ConnectionPools implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionPools.class);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private final @Nullable MeterRegistry meterRegistry;

	private final Map<PoolKey, SharedPool> shared = new HashMap<>();

	private final List<SharedPool> all = new ArrayList<>();

	private final Set<String> names = new java.util.HashSet<>();

	private boolean closed;

	/** A registry without metrics. */
	public ConnectionPools() {
		this(null);
	}

	/**
	 * A registry that times connection acquisition ({@value AcquireMetrics#ACQUIRE}) and counts acquisitions that
	 * timed out ({@value AcquireMetrics#ACQUIRE_TIMEOUTS}).
	 * @param meterRegistry the registry, or {@code null}
	 */
	public ConnectionPools(@Nullable MeterRegistry meterRegistry) {
		this.meterRegistry = meterRegistry;
	}

	/**
	 * Leases the pool for a node, creating it when needed.
	 * @param settings the node's settings
	 * @param connectionFactory creates the driver's connection factory for the settings, called only when a new
	 * pool is made
	 * @return the pool
	 * @throws IllegalStateException when the registry is closed
	 */
	public synchronized SharedPool lease(NodeSettings settings,
			Function<NodeSettings, ConnectionFactory> connectionFactory) {
		if (this.closed) {
			throw new IllegalStateException("connection pools are closed");
		}
		PoolKey key = PoolKey.of(settings);
		SharedPool pool = settings.sharePool() ? this.shared.get(key) : null;
		if (pool == null) {
			pool = create(uniqueName(settings.name()), key, connectionFactory.apply(settings));
			this.all.add(pool);
			if (settings.sharePool()) {
				this.shared.put(key, pool);
			}
		}
		pool.attach(settings.name());
		return pool;
	}

	/**
	 * Releases a node's lease; closes the pool when no node uses it anymore.
	 * @param pool the pool
	 * @param nodeName the node letting go
	 */
	public void release(SharedPool pool, String nodeName) {
		boolean last;
		synchronized (this) {
			last = pool.detach(nodeName);
			if (last) {
				this.all.remove(pool);
				this.shared.remove(pool.key(), pool);
			}
		}
		if (last) {
			dispose(pool);
		}
	}

	/** @return the open pools */
	public synchronized Collection<SharedPool> pools() {
		return List.copyOf(this.all);
	}

	/** Closes every pool, waiting a bounded time for each. Idempotent. */
	@Override
	public void close() {
		List<SharedPool> pools;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			pools = List.copyOf(this.all);
			this.all.clear();
			this.shared.clear();
		}
		pools.forEach(ConnectionPools::dispose);
	}

	private String uniqueName(String nodeName) {
		String name = nodeName + "-pool";
		for (int i = 2; !this.names.add(name); i++) {
			name = nodeName + "-pool-" + i;
		}
		return name;
	}

	private SharedPool create(String name, PoolKey key, ConnectionFactory factory) {
		if (factory instanceof ConnectionPool external) {
			// an application's own pool: its size and timeouts are the application's, and so is closing it
			logger.debug("Using the application's pool as '{}' for {}", name, key.connection().target());
			return new SharedPool(name, key, external, AcquireMetrics.of(name, this.meterRegistry), false);
		}
		PoolSettings settings = key.pool();
		ConnectionPoolConfiguration configuration = ConnectionPoolConfiguration.builder(factory)
			.name(name)
			.initialSize(settings.initialSize())
			.maxSize(settings.maxSize())
			.maxIdleTime(settings.maxIdleTime())
			.maxLifeTime(settings.maxLifeTime())
			.maxAcquireTime(settings.maxAcquireTime())
			.maxValidationTime(settings.maxValidationTime())
			.maxCreateConnectionTime(settings.maxCreateConnectionTime())
			// a local check (is the socket open?) costs no round trip; broken connections fail fast and are
			// replaced, and the retry policy covers the rest
			.validationDepth(ValidationDepth.LOCAL)
			.build();
		logger.debug("Creating pool '{}' for {}", name, key.connection().target());
		return new SharedPool(name, key, new ConnectionPool(configuration), AcquireMetrics.of(name, this.meterRegistry),
				true);
	}

	private static void dispose(SharedPool pool) {
		if (!pool.isOwned()) {
			return;
		}
		logger.debug("Closing pool '{}'", pool.name());
		try {
			pool.connectionFactory().disposeLater().block(CLOSE_TIMEOUT);
		}
		catch (RuntimeException ex) {
			logger.warn("Pool '{}' did not close cleanly: {}", pool.name(), ex.toString());
		}
	}

}
