package io.asyncsql.core.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.ReadReplicas;
import io.asyncsql.core.pool.SharedPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A node's read replicas: their pools, their replay lag measured continuously, and the routing of each read.
 * <p>
 * A probe runs every {@link #probeInterval(Duration)} on the node's timer: one statement on the primary
 * ({@code pg_current_wal_lsn()}) and then one on each replica (its replay position, whether it is in recovery,
 * and its lag: zero when it has replayed all it received, else the age of the last transaction it replayed). A
 * replica that fails the probe, is not in recovery (promoted, so not a replica of this primary anymore) or lags
 * beyond {@code max-replica-lag} is skipped until a later probe finds it fit again.
 * <p>
 * Read-your-writes: every write of the node stamps the time it ended (and counts while in flight); a replica may
 * serve reads again only once a probe started after the last write ended and the replica had replayed the
 * primary's WAL position of that probe, so it holds every write this node acknowledged.
 */
public final class ReplicaSet implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaSet.class);

	/** The meter counting routing decisions. */
	public static final String ROUTING = "asyncsql.routing";

	/** The gauge of each replica's replay lag, in seconds. */
	public static final String LAG = "asyncsql.replica.lag";

	private static final String PRIMARY_POSITION = "SELECT pg_current_wal_lsn()::text AS lsn";

	private static final String REPLICA_STATE = "SELECT pg_is_in_recovery() AS standby, "
			+ "pg_last_wal_replay_lsn()::text AS lsn, CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
			+ "THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END AS lag";

	private final String node;

	private final ReadReplicas settings;

	private final List<Replica> replicas = new ArrayList<>();

	private final SharedPool primary;

	private final AtomicInteger next = new AtomicInteger();

	private final AtomicInteger writesInFlight = new AtomicInteger();

	private final AtomicLong lastWriteEnded = new AtomicLong(Long.MIN_VALUE);

	private final @Nullable MeterRegistry registry;

	private final Disposable probes;

	/**
	 * Leases the replicas' pools and starts probing.
	 * @param settings the node's settings
	 * @param primary the node's pool
	 * @param lease leases a pool for settings derived from the node's
	 * @param registry where meters go, or {@code null}
	 * @param timer the scheduler of the probes
	 */
	public ReplicaSet(NodeSettings settings, SharedPool primary, Function<NodeSettings, SharedPool> lease,
			@Nullable MeterRegistry registry, Scheduler timer) {
		this.node = settings.name();
		this.settings = settings.readReplicas();
		this.primary = primary;
		this.registry = registry;
		List<ConnectionSettings> all = this.settings.replicas();
		for (int i = 0; i < all.size(); i++) {
			ConnectionSettings replica = all.get(i);
			if (replica.username() == null) {
				replica = replica.withCredentials(settings.connection().username(), settings.connection().password());
			}
			String name = this.node + "-replica-" + (i + 1);
			SharedPool pool = lease.apply(settings.toBuilder().name(name).connection(replica)
				.replicas(List.of()).readYourWrites(false).maxReplicaLag(ReadReplicas.DEFAULT_MAX_LAG).build());
			Replica entry = new Replica(name, replica.target(), pool);
			this.replicas.add(entry);
			if (registry != null) {
				Gauge.builder(LAG, entry, r -> r.lagSeconds).tags("node", this.node, "replica", name)
					.description("Replay lag of a read replica, in seconds; NaN while it cannot be probed")
					.register(registry);
			}
		}
		Duration interval = probeInterval(this.settings.maxLag());
		this.probes = Flux.interval(Duration.ZERO, interval, timer)
			.onBackpressureDrop()
			.concatMap(tick -> probe().timeout(interval.multipliedBy(4), timer).onErrorResume(error -> {
				logger.debug("Replica probe of node '{}' failed: {}", this.node, error.toString());
				return Mono.empty();
			}), 1)
			.subscribe();
	}

	/**
	 * How often lag is measured: a quarter of the lag bound, between 100 ms and 1 s.
	 * @param maxLag the lag bound
	 * @return the interval
	 */
	static Duration probeInterval(Duration maxLag) {
		Duration quarter = maxLag.dividedBy(4);
		Duration min = Duration.ofMillis(100);
		Duration max = Duration.ofSeconds(1);
		return (quarter.compareTo(min) < 0) ? min : (quarter.compareTo(max) > 0) ? max : quarter;
	}

	/** @return the replicas, for health and the endpoint */
	public List<Replica> replicas() {
		return List.copyOf(this.replicas);
	}

	/**
	 * Picks the replica for a read-only statement outside a transaction, or none.
	 * @return the replica, or {@code null} for the primary (the reason is counted)
	 */
	public @Nullable Replica forRead() {
		if (!this.settings.routesReads()) {
			count("primary", "routing_primary");
			return null;
		}
		boolean anyFit = false;
		int size = this.replicas.size();
		int start = Math.floorMod(this.next.getAndIncrement(), size);
		for (int i = 0; i < size; i++) {
			Replica replica = this.replicas.get((start + i) % size);
			if (!replica.fit) {
				continue;
			}
			anyFit = true;
			if (this.settings.readYourWrites() && !hasReplayedOurWrites(replica)) {
				continue;
			}
			count("replica", "read");
			return replica;
		}
		count("primary", !anyFit ? (anyLagging() ? "lagging" : "unavailable") : "read_your_writes");
		return null;
	}

	/** Counts a statement that goes to the primary because it writes or runs in a transaction. */
	public void primaryFor(String reason) {
		count("primary", reason);
	}

	/** Counts a read that failed on a replica and runs on the primary; the replica waits for the next probe. */
	public void fellBack(Replica replica) {
		replica.fit = false;
		count("primary", "replica_failed");
	}

	/** A write of the node begins: until it ends, no replica is known to hold it. */
	public void writeStarted() {
		this.writesInFlight.incrementAndGet();
	}

	/** A write of the node ended (committed, failed or with unknown outcome). */
	public void writeEnded() {
		this.lastWriteEnded.set(System.nanoTime());
		this.writesInFlight.decrementAndGet();
	}

	private boolean hasReplayedOurWrites(Replica replica) {
		if (this.writesInFlight.get() > 0) {
			return false;
		}
		long lastWrite = this.lastWriteEnded.get();
		ProbedPosition position = replica.position;
		return lastWrite == Long.MIN_VALUE
				|| (position != null && position.primarySampledAt - lastWrite > 0 && position.caughtUp());
	}

	private boolean anyLagging() {
		for (Replica replica : this.replicas) {
			if (replica.reachable && replica.lagSeconds > this.settings.maxLag().toNanos() / 1e9) {
				return true;
			}
		}
		return false;
	}

	private void count(String target, String reason) {
		if (this.registry != null) {
			Counter.builder(ROUTING).tags("node", this.node, "target", target, "reason", reason)
				.description("Where statements were sent, and why").register(this.registry).increment();
		}
	}

	private Mono<Void> probe() {
		long sampledAt = System.nanoTime();
		Mono<Long> primaryLsn = this.settings.readYourWrites() ? scalar(this.primary, PRIMARY_POSITION)
			.map(row -> parseLsn((String) row.get(0))) : Mono.just(0L);
		return primaryLsn.flatMap(lsn -> Flux.fromIterable(this.replicas)
			.flatMap(replica -> probe(replica, lsn, sampledAt))
			.then());
	}

	private Mono<Void> probe(Replica replica, long primaryLsn, long sampledAt) {
		return scalar(replica.pool, REPLICA_STATE).doOnNext(row -> {
			boolean standby = Boolean.TRUE.equals(row.get(0));
			long replayed = (row.get(1) != null) ? parseLsn((String) row.get(1)) : 0;
			double lag = ((Number) row.get(2)).doubleValue();
			replica.reachable = true;
			replica.lagSeconds = lag;
			replica.position = new ProbedPosition(sampledAt, primaryLsn, replayed);
			boolean fit = standby && lag <= this.settings.maxLag().toNanos() / 1e9;
			if (fit != replica.fit) {
				logger.info("Replica '{}' of node '{}' {} (lag {} s{})", replica.name, this.node,
						fit ? "serves reads" : "is skipped", String.format(Locale.ROOT, "%.3f", lag),
						standby ? "" : ", not in recovery");
			}
			replica.fit = fit;
		}).onErrorResume(error -> {
			if (replica.fit || replica.reachable) {
				logger.info("Replica '{}' of node '{}' is skipped: {}", replica.name, this.node, error.toString());
			}
			replica.fit = false;
			replica.reachable = false;
			replica.lagSeconds = Double.NaN;
			return Mono.empty();
		}).then();
	}

	private static Mono<List<Object>> scalar(SharedPool pool, String sql) {
		return Mono.usingWhen(pool.acquire(), connection -> Flux.from(connection.createStatement(sql).execute())
			.concatMap(result -> result.map((row, metadata) -> {
				List<Object> values = new ArrayList<>();
				for (int i = 0; i < metadata.getColumnMetadatas().size(); i++) {
					values.add(row.get(i));
				}
				return values;
			}))
			.next(), Connection::close, (connection, error) -> connection.close(), Connection::close);
	}

	/**
	 * Reads a WAL position as PostgreSQL writes it ({@code 16/B374D848}).
	 * @param lsn the text
	 * @return the position as a number
	 */
	static long parseLsn(String lsn) {
		int slash = lsn.indexOf('/');
		return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
	}

	/**
	 * Stops probing and gives the replicas' pools back.
	 * @param release releases a pool leased for a replica
	 */
	public void close(java.util.function.BiConsumer<SharedPool, String> release) {
		this.probes.dispose();
		for (Replica replica : this.replicas) {
			release.accept(replica.pool, replica.name);
		}
	}

	@Override
	public void close() {
		this.probes.dispose();
	}

	/** What one probe saw: the primary's position, sampled before the replica's replay position. */
	private record ProbedPosition(long primarySampledAt, long primaryLsn, long replayedLsn) {

		boolean caughtUp() {
			return Long.compareUnsigned(this.replayedLsn, this.primaryLsn) >= 0;
		}

	}

	/** One read replica and what the last probe found. */
	public static final class Replica {

		private final String name;

		private final String target;

		private final SharedPool pool;

		private volatile boolean fit;

		private volatile boolean reachable;

		private volatile double lagSeconds = Double.NaN;

		private volatile @Nullable ProbedPosition position;

		Replica(String name, String target, SharedPool pool) {
			this.name = name;
			this.target = target;
			this.pool = pool;
		}

		/** @return the replica's name, {@code <node>-replica-<n>} */
		public String name() {
			return this.name;
		}

		/** @return where it is, without a password */
		public String target() {
			return this.target;
		}

		/** @return its pool */
		public SharedPool pool() {
			return this.pool;
		}

		/** @return whether it serves reads now */
		public boolean serving() {
			return this.fit;
		}

		/** @return its replay lag at the last probe, NaN when it could not be probed */
		public double lagSeconds() {
			return this.lagSeconds;
		}

	}

}
