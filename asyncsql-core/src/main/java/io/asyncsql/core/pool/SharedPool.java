package io.asyncsql.core.pool;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import io.asyncsql.core.metrics.AcquireMetrics;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One r2dbc-pool {@link ConnectionPool} and the nodes that use it. Owned by {@link ConnectionPools}, which closes
 * it when its last node lets go.
 */
public final class SharedPool {

	private static final Logger logger = LoggerFactory.getLogger(SharedPool.class);

	/** Metric name of the acquire timer. */
	public static final String ACQUIRE_TIMER = AcquireMetrics.ACQUIRE;

	private final String name;

	private final PoolKey key;

	private final ConnectionPool pool;

	private final Set<String> nodeNames = new CopyOnWriteArraySet<>();

	private final Object transactionKey = new Object();

	private final Set<ConnectionFactory> transactionResources = new CopyOnWriteArraySet<>();

	private final Mono<Connection> acquire;

	private final boolean owned;

	SharedPool(String name, PoolKey key, ConnectionPool pool, AcquireMetrics acquireMetrics, boolean owned) {
		this.name = name;
		this.owned = owned;
		this.key = key;
		this.pool = pool;
		this.transactionResources.add(pool);
		this.acquire = acquireMetrics.instrument(pool.create());
	}

	/**
	 * @return the pool name: the {@code pool} tag of every pool meter (Boot's {@code r2dbc.pool.*} gauges also tag it
	 * {@code name})
	 */
	public String name() {
		return this.name;
	}

	/** @return what nodes sharing this pool have in common */
	public PoolKey key() {
		return this.key;
	}

	/**
	 * The pool as a {@link ConnectionFactory}: Spring's {@code R2dbcTransactionManager} and {@code DatabaseClient}
	 * use this object, and node calls join transactions bound to it.
	 * @return the r2dbc-pool
	 */
	public ConnectionPool connectionFactory() {
		return this.pool;
	}

	/** @return the nodes currently using the pool */
	public Set<String> nodeNames() {
		return Set.copyOf(this.nodeNames);
	}

	/** @return a safe description of the database the pool connects to */
	public String target() {
		return this.key.connection().target();
	}

	/**
	 * Acquires a connection, waiting at most {@code max-acquire-time}.
	 * @return the connection; release it with {@link Connection#close()} exactly once. Fails with r2dbc-pool's
	 * {@code R2dbcTimeoutException} when no connection became free in time, and with the driver's exception when a
	 * new connection could not be opened
	 */
	public Mono<Connection> acquire() {
		return this.acquire;
	}

	/**
	 * Closes the physical connection under a pooled one, for a connection whose state is unknown (a statement was
	 * abandoned or cancelled in flight): the driver marks it closed as soon as the close starts, so when the pooled
	 * connection is released the pool's check finds it closed and drops it instead of handing it out again.
	 * Closing is asynchronous; failures are ignored, since the connection is gone either way.
	 * @param connection a pooled (or physical) connection
	 */
	public static void discard(Connection connection) {
		Connection physical = connection;
		for (int depth = 0; depth < 8 && physical instanceof Wrapped<?> wrapped
				&& wrapped.unwrap() instanceof Connection inner; depth++) {
			physical = inner;
		}
		Mono.from(physical.close()).subscribe(null, error -> logger.debug("Close failed: {}", error.toString()));
	}

	/**
	 * The pool's current figures.
	 * @return the figures, all zero when the pool has no metrics
	 */
	public PoolStats stats() {
		return this.pool.getMetrics()
			.map(m -> new PoolStats(m.acquiredSize(), m.allocatedSize(), m.idleSize(), m.pendingAcquireSize(),
					m.getMaxAllocatedSize()))
			.orElse(new PoolStats(0, 0, 0, 0, this.key.pool().maxSize()));
	}

	/** @return the r2dbc-pool metrics, when the pool exposes them */
	public @Nullable PoolMetrics metrics() {
		return this.pool.getMetrics().orElse(null);
	}

	/**
	 * The Reactor context key under which a transaction on this pool is published to the calls made inside it.
	 * @return the key, unique to this pool
	 */
	public Object transactionKey() {
		return this.transactionKey;
	}

	/**
	 * The connection factories under which Spring's transaction synchronization knows this pool: the pool itself,
	 * and any factory that wraps it (a decorated {@code ConnectionFactory} bean, say). Node calls join a
	 * Spring-managed transaction bound to any of them, and a node's own transaction is bound under each of them, so
	 * {@code DatabaseClient} calls through any of them join it.
	 * @return the factories, the pool first
	 */
	public Set<ConnectionFactory> transactionResources() {
		return Collections.unmodifiableSet(this.transactionResources);
	}

	/**
	 * Registers a connection factory that hands out this pool's connections under another identity (a decorating
	 * proxy), so transactions bound to it and to the pool are one and the same.
	 * @param wrapper a factory whose connections come from this pool
	 */
	public void addTransactionResource(ConnectionFactory wrapper) {
		this.transactionResources.add(wrapper);
	}

	void attach(String nodeName) {
		this.nodeNames.add(nodeName);
	}

	boolean detach(String nodeName) {
		this.nodeNames.remove(nodeName);
		return this.nodeNames.isEmpty();
	}

	/** @return whether the registry made this pool and closes it, rather than the application */
	boolean isOwned() {
		return this.owned;
	}

	boolean isDisposed() {
		return this.pool.isDisposed();
	}

	@Override
	public String toString() {
		return "SharedPool[" + this.name + " -> " + target() + ", nodes=" + this.nodeNames + "]";
	}

}
