package io.asyncsql.autoconfigure.actuate;

import java.time.Duration;

import io.asyncsql.core.AsyncSqlNode;
import reactor.core.publisher.Mono;

/**
 * The health check of one pool: a trivial statement through one of its nodes, bounded by the node timeout or
 * {@value #CHECK_TIMEOUT_SECONDS} seconds, whichever is shorter. Nodes sharing the pool share the check that is
 * running when they ask (Actuator asks all components of a reactive health request at once), so a health request
 * makes one round trip per pool, not one per node.
 */
public final class PoolCheck {

	private static final long CHECK_TIMEOUT_SECONDS = 5;

	/** Longest a check may take; a pool slower than this is reported DOWN. */
	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(CHECK_TIMEOUT_SECONDS);

	private final Duration timeout;

	private final Mono<Duration> check;

	/**
	 * Creates the check of a node's pool.
	 * @param node a node of the pool (nodes sharing a pool have the same timeout, part of the pool's identity)
	 */
	public PoolCheck(AsyncSqlNode node) {
		this.timeout = (node.settings().timeout().compareTo(CHECK_TIMEOUT) < 0) ? node.settings().timeout()
				: CHECK_TIMEOUT;
		// a result is kept for no time at all: it goes to the callers waiting for it, the next caller checks again
		this.check = node.ping()
			.timeout(this.timeout)
			.cache(value -> Duration.ZERO, error -> Duration.ZERO, () -> Duration.ZERO);
	}

	/** @return how long the check waits for the database */
	public Duration timeout() {
		return this.timeout;
	}

	/**
	 * Runs the check, or joins the one running.
	 * @return the round-trip time; fails with the node's exception, or a {@code TimeoutException}
	 */
	public Mono<Duration> run() {
		return this.check;
	}

}
