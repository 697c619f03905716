package io.asyncsql.core.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.core.sql.StatementKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code asyncsql.*} meters of one node. Meters are registered on first use and then held, so recording on
 * the query path is an array lookup, not a registry lookup. Tag values come from closed sets (operation, outcome,
 * reason, rule), never from SQL text or parameter values.
 */
public final class NodeMetrics {

	/** Metric name of the query timer. */
	public static final String QUERIES = "asyncsql.queries";

	/** Metric name of the retry counter. */
	public static final String RETRIES = "asyncsql.retries";

	/** Metric name of the exhausted-retry counter. */
	public static final String RETRIES_EXHAUSTED = "asyncsql.retries.exhausted";

	/** Metric name of the transaction counter. */
	public static final String TRANSACTIONS = "asyncsql.transactions";

	/** Metric name of the validation rejection counter. */
	public static final String VALIDATION_REJECTIONS = "asyncsql.validation.rejections";

	private static final NodeMetrics NONE = new NodeMetrics("", null);

	private final String node;

	private final @Nullable MeterRegistry registry;

	private final Timer[][] queryTimers = new Timer[StatementKind.values().length][QueryOutcome.values().length];

	private final Counter[] retries = new Counter[TransientReason.values().length];

	private final ConcurrentHashMap<String, Counter> rejections = new ConcurrentHashMap<>();

	private volatile @Nullable Counter retriesExhausted;

	private volatile @Nullable Counter commits;

	private volatile @Nullable Counter rollbacks;

	private NodeMetrics(String node, @Nullable MeterRegistry registry) {
		this.node = node;
		this.registry = registry;
	}

	/**
	 * Meters for a node.
	 * @param node the node name ({@code node} tag)
	 * @param registry where to register, or {@code null} to record nothing
	 * @return the meters
	 */
	public static NodeMetrics of(String node, @Nullable MeterRegistry registry) {
		return (registry != null) ? new NodeMetrics(node, registry) : NONE;
	}

	/** @return whether anything is recorded */
	public boolean isEnabled() {
		return this.registry != null;
	}

	/**
	 * Records one query.
	 * @param kind the statement kind ({@code operation} tag)
	 * @param outcome how it ended
	 * @param nanos how long it took
	 */
	public void recordQuery(StatementKind kind, QueryOutcome outcome, long nanos) {
		if (this.registry == null) {
			return;
		}
		Timer timer = this.queryTimers[kind.ordinal()][outcome.ordinal()];
		if (timer == null) {
			timer = Timer.builder(QUERIES)
				.description("Statements run by asyncsql nodes")
				.tag("node", this.node)
				.tag("operation", kind.tag())
				.tag("outcome", outcome.tag())
				.register(this.registry);
			this.queryTimers[kind.ordinal()][outcome.ordinal()] = timer;
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * Records a retry.
	 * @param reason why the previous attempt failed
	 */
	public void recordRetry(TransientReason reason) {
		if (this.registry == null) {
			return;
		}
		Counter counter = this.retries[reason.ordinal()];
		if (counter == null) {
			counter = Counter.builder(RETRIES)
				.description("Retries of transient failures")
				.tag("node", this.node)
				.tag("reason", reason.tag())
				.register(this.registry);
			this.retries[reason.ordinal()] = counter;
		}
		counter.increment();
	}

	/** Records a call that failed after its last allowed retry. */
	public void recordRetriesExhausted() {
		if (this.registry == null) {
			return;
		}
		Counter counter = this.retriesExhausted;
		if (counter == null) {
			counter = Counter.builder(RETRIES_EXHAUSTED)
				.description("Calls that failed transiently on every allowed attempt")
				.tag("node", this.node)
				.register(this.registry);
			this.retriesExhausted = counter;
		}
		counter.increment();
	}

	/**
	 * Records the end of a transaction the node opened.
	 * @param committed {@code true} for commit, {@code false} for rollback
	 */
	public void recordTransaction(boolean committed) {
		if (this.registry == null) {
			return;
		}
		Counter counter = committed ? this.commits : this.rollbacks;
		if (counter == null) {
			counter = Counter.builder(TRANSACTIONS)
				.description("Transactions ended by asyncsql nodes")
				.tag("node", this.node)
				.tag("outcome", committed ? "commit" : "rollback")
				.register(this.registry);
			if (committed) {
				this.commits = counter;
			}
			else {
				this.rollbacks = counter;
			}
		}
		counter.increment();
	}

	/**
	 * Records a statement refused by validation.
	 * @param rule the rule id
	 */
	public void recordRejection(String rule) {
		if (this.registry == null) {
			return;
		}
		this.rejections.computeIfAbsent(rule, r -> Counter.builder(VALIDATION_REJECTIONS)
			.description("Statements refused by validation")
			.tag("node", this.node)
			.tag("rule", r)
			.register(this.registry)).increment();
	}

}
