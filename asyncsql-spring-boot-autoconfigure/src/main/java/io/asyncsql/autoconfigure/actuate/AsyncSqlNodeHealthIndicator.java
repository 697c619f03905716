package io.asyncsql.autoconfigure.actuate;

import java.time.Duration;

import io.asyncsql.core.AsyncSqlNode;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The health of one node: UP when a trivial statement completes within the check timeout, DOWN with the reason
 * otherwise. Details: database type, target (without password), pool figures, and the round-trip time of the
 * check ({@code validationLatencyMs}).
 */
public class AsyncSqlNodeHealthIndicator implements ReactiveHealthIndicator {

	/** Longest a check may take; a node slower than this is reported DOWN. */
	static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

	private final AsyncSqlNode node;

	/**
	 * Creates the indicator.
	 * @param node the node to check
	 */
	public AsyncSqlNodeHealthIndicator(AsyncSqlNode node) {
		this.node = node;
	}

	@Override
	public Mono<Health> health() {
		Duration timeout = (this.node.settings().timeout().compareTo(CHECK_TIMEOUT) < 0) ? this.node.settings().timeout()
				: CHECK_TIMEOUT;
		return this.node.ping()
			.timeout(timeout)
			.map(latency -> details(Health.up()).withDetail("validationLatencyMs", latency.toNanos() / 1_000_000.0)
				.build())
			.onErrorResume(error -> Mono.just(details(Health.down())
				.withDetail("error", error.getClass().getSimpleName() + ": " + error.getMessage())
				.build()));
	}

	private Health.Builder details(Health.Builder builder) {
		return builder.withDetail("databaseType", this.node.databaseType().id())
			.withDetail("target", this.node.pool().target())
			.withDetail("pool", PoolDescriptor.of(this.node.pool()));
	}

}
