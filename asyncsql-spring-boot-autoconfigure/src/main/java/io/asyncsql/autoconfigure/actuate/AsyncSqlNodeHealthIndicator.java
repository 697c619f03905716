package io.asyncsql.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.metrics.NodeActivity;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The health of one node: UP when its pool's check (a trivial statement, see {@link PoolCheck}) completes in time,
 * DOWN otherwise with the error and a {@code hint} saying what to look at. Details: database type, target (without
 * password), pool figures, the check's round-trip time ({@code validationLatencyMs}), and what went wrong lately on
 * the node's own calls: {@code lastFailure} and {@code retriesExhausted} (with {@code lastRetriesExhausted}).
 */
public class AsyncSqlNodeHealthIndicator implements ReactiveHealthIndicator {

	private final AsyncSqlNode node;

	private final PoolCheck check;

	/**
	 * Creates the indicator with a check of its own.
	 * @param node the node to check
	 */
	public AsyncSqlNodeHealthIndicator(AsyncSqlNode node) {
		this(node, new PoolCheck(node));
	}

	/**
	 * Creates the indicator.
	 * @param node the node to check
	 * @param check the check of the node's pool, shared with the other nodes of the pool
	 */
	public AsyncSqlNodeHealthIndicator(AsyncSqlNode node, PoolCheck check) {
		this.node = node;
		this.check = check;
	}

	@Override
	public Mono<Health> health() {
		return this.check.run()
			.map(latency -> details(Health.up()).withDetail("validationLatencyMs", latency.toNanos() / 1_000_000.0)
				.build())
			.onErrorResume(error -> {
				Health.Builder down = details(Health.down()).withDetail("error",
						error.getClass().getSimpleName() + ": " + error.getMessage());
				String hint = hint(error);
				if (hint != null) {
					down.withDetail("hint", hint);
				}
				return Mono.just(down.build());
			});
	}

	private Health.Builder details(Health.Builder builder) {
		builder.withDetail("databaseType", this.node.databaseType().id())
			.withDetail("target", this.node.pool().target())
			.withDetail("pool", PoolDescriptor.of(this.node.pool()));
		List<ReplicaDescriptor> replicas = ReplicaDescriptor.of(this.node);
		if (!replicas.isEmpty()) {
			// a replica that is down or lagging does not make the node down: its reads go to the primary
			builder.withDetail("replicas", replicas);
		}
		NodeActivity activity = this.node.activity();
		NodeActivity.Failure last = activity.lastFailure();
		if (last != null) {
			builder.withDetail("lastFailure", describe(last));
		}
		builder.withDetail("retriesExhausted", activity.retriesExhausted());
		NodeActivity.Failure exhausted = activity.lastRetriesExhausted();
		if (exhausted != null) {
			builder.withDetail("lastRetriesExhausted", describe(exhausted));
		}
		return builder;
	}

	private static Map<String, Object> describe(NodeActivity.Failure failure) {
		Map<String, Object> description = new LinkedHashMap<>();
		description.put("at", failure.at().toString());
		description.put("type", failure.type());
		if (failure.sqlState() != null) {
			description.put("sqlState", failure.sqlState());
		}
		if (failure.attempts() > 0) {
			description.put("attempts", failure.attempts());
		}
		if (failure.message() != null) {
			description.put("message", failure.message());
		}
		return description;
	}

	private @Nullable String hint(Throwable error) {
		String prefix = "asyncsql.nodes." + this.node.name() + ".";
		if (error instanceof PoolExhaustedException) {
			return "Every connection of pool '" + this.node.pool().name() + "' stayed in use for "
					+ prefix + "pool.max-acquire-time: look for long transactions or slow statements (pool figures "
					+ "above), or raise " + prefix + "pool.max-size if the database allows more connections";
		}
		if (error instanceof ConnectionFailureException) {
			return "The database at " + this.node.pool().target() + " refused or dropped the connection: check that "
					+ "it runs and is reachable from this host, and " + prefix + "host, port, database, username and "
					+ "password";
		}
		if (error instanceof TimeoutException || error instanceof QueryTimeoutException) {
			return "The database did not answer a trivial statement within " + this.check.timeout() + ": it is "
					+ "overloaded, locked up or the network to it is slow";
		}
		return null;
	}

}
