package io.asyncsql.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A node's read replicas (PostgreSQL streaming standbys) and how reads use them. A statement the lexer classifies
 * as read-only ({@code SELECT} without {@code FOR UPDATE}/{@code SHARE}, data-modifying CTEs or calls of functions
 * not known to be side-effect free), outside any transaction, goes to a healthy replica whose replay lag is within
 * {@code maxLag}; everything else goes to the primary. A replica that fails or lags is skipped and probed again;
 * a read that fails on a replica runs on the primary.
 *
 * @param replicas the replicas; a replica without credentials uses the node's
 * @param routing where reads go; {@link ReadRouting#REPLICA} by default when there are replicas
 * @param maxLag the largest replay lag a replica may have and still serve reads; default 5 s
 * @param readYourWrites whether a read after this node's own write (through {@code execute}, {@code executeMany}
 * or {@code inTransaction}) goes to a replica only once the replica has replayed past that write; default
 * {@code false}
 */
public record ReadReplicas(List<ConnectionSettings> replicas, ReadRouting routing, Duration maxLag,
		boolean readYourWrites) {

	/** Default largest replay lag. */
	public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);

	/** No replicas. */
	public static final ReadReplicas NONE = new ReadReplicas(List.of(), ReadRouting.PRIMARY, DEFAULT_MAX_LAG, false);

	/**
	 * Validates the settings.
	 * @throws IllegalArgumentException when the lag bound is not positive or a replica is not PostgreSQL
	 */
	public ReadReplicas {
		replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
		Objects.requireNonNull(routing, "routing");
		Objects.requireNonNull(maxLag, "maxLag");
		if (maxLag.isNegative() || maxLag.isZero()) {
			throw new IllegalArgumentException("max-replica-lag must be positive but was " + maxLag);
		}
		for (ConnectionSettings replica : replicas) {
			if (replica.databaseType() != DatabaseType.POSTGRESQL) {
				throw new IllegalArgumentException("replicas are PostgreSQL streaming standbys, but one has database-type "
						+ replica.databaseType().id());
			}
		}
	}

	/** @return whether reads may go to replicas */
	public boolean routesReads() {
		return !this.replicas.isEmpty() && this.routing == ReadRouting.REPLICA;
	}

}
