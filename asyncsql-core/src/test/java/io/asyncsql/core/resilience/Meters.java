package io.asyncsql.core.resilience;

import io.asyncsql.core.metrics.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads the retry counters of a node.
 */
final class Meters {

	private final MeterRegistry registry;

	private final String node;

	Meters(MeterRegistry registry, String node) {
		this.registry = registry;
		this.node = node;
	}

	/** @return {@code asyncsql.retries{node, reason}} */
	double retries(String reason) {
		Counter counter = this.registry.find(NodeMetrics.RETRIES).tag("node", this.node).tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** @return the sum of {@code asyncsql.retries{node}} over all reasons */
	double retries() {
		return this.registry.find(NodeMetrics.RETRIES).tag("node", this.node).counters().stream()
			.mapToDouble(Counter::count)
			.sum();
	}

	/** @return {@code asyncsql.retries.exhausted{node}} */
	double exhausted() {
		Counter counter = this.registry.find(NodeMetrics.RETRIES_EXHAUSTED).tag("node", this.node).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/**
	 * @param outcome {@code commit} or {@code rollback}
	 * @return {@code asyncsql.transactions{node, outcome}}
	 */
	double transactions(String outcome) {
		Counter counter = this.registry.find(NodeMetrics.TRANSACTIONS).tag("node", this.node).tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
