package io.asyncsql.core;

import java.time.Duration;
import java.util.function.Function;

import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.metrics.NodeActivity;
import io.asyncsql.core.node.DefaultAsyncSqlNode;
import io.asyncsql.core.observation.ObservationSettings;
import io.asyncsql.core.observation.QueryObservationConvention;
import io.asyncsql.core.observation.TransactionObservationConvention;
import io.asyncsql.core.pool.ConnectionFactoryCustomizer;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.pool.SharedPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A named, configured connection to one database: statements, streams, batches and transactions over a
 * (possibly shared) connection pool, with validation, parameter binding, timeouts and retry of transient
 * failures as set by its {@link NodeSettings}.
 * <p>
 * Nodes are thread-safe. In a Spring Boot application they are beans named after the node; without Spring Boot
 * build one with {@link #builder(NodeSettings)} and {@link #close()} it when done.
 */
public interface AsyncSqlNode extends SqlOperations, AutoCloseable {

	/** @return the node name */
	String name();

	/** @return the database product */
	DatabaseType databaseType();

	/** @return how calls relate to transactions */
	TransactionMode transactionMode();

	/** @return every setting of this node */
	NodeSettings settings();

	/** @return the pool the node runs on, possibly shared with other nodes */
	SharedPool pool();

	/**
	 * What went wrong lately: the last failed call and the calls that exhausted their retries, as health shows them.
	 * @return the node's recent failures, kept with or without metrics
	 */
	NodeActivity activity();

	/**
	 * Starts a transaction on a connection of its own, pinned until {@link SqlTransaction#commit()} or
	 * {@link SqlTransaction#rollback()}.
	 * @return the transaction; fails like a statement would when no connection can be had
	 */
	Mono<SqlTransaction> beginTransaction();

	/**
	 * Starts a transaction at an isolation level, on a connection of its own, pinned until
	 * {@link SqlTransaction#commit()} or {@link SqlTransaction#rollback()}. The level applies to this transaction
	 * only ({@code BEGIN ISOLATION LEVEL ...}); the connection goes back to the pool with its session default.
	 * @param isolationLevel the isolation level, for example {@link IsolationLevel#SERIALIZABLE}; {@code null} for
	 * the database's default, as {@link #beginTransaction()}
	 * @return the transaction; fails like a statement would when no connection can be had
	 */
	Mono<SqlTransaction> beginTransaction(@Nullable IsolationLevel isolationLevel);

	/**
	 * Runs {@code work} in a transaction: committed when the publisher completes, rolled back when it fails or is
	 * cancelled. Node calls made inside {@code work} (on this or any node sharing the pool, in AUTO or MANUAL mode)
	 * join the transaction. On a transient failure (deadlock, serialization failure...) the whole block is retried
	 * with a fresh transaction per the node's retry settings, so {@code work} must be safe to run again. Values
	 * are emitted after the commit, so subscribers never see values of a rolled-back attempt. When a transaction
	 * is already active for the pool, {@code work} joins it instead and nothing is committed here.
	 * @param work the statements to run, given the transaction
	 * @param <T> the type of values produced
	 * @return the values {@code work} produced, after the commit
	 */
	<T> Flux<T> inTransaction(Function<SqlTransaction, ? extends Publisher<T>> work);

	/**
	 * Runs {@code work} in a transaction at an isolation level, as {@link #inTransaction(Function)} does. Each
	 * attempt starts a fresh transaction at that level, so a serialization failure ({@code 40001}) of a
	 * {@link IsolationLevel#SERIALIZABLE} block is retried with a new snapshot. When a transaction is already
	 * active for the pool, {@code work} joins it and the outer transaction's level applies.
	 * @param isolationLevel the isolation level; {@code null} for the database's default
	 * @param work the statements to run, given the transaction
	 * @param <T> the type of values produced
	 * @return the values {@code work} produced, after the commit
	 */
	<T> Flux<T> inTransaction(@Nullable IsolationLevel isolationLevel,
			Function<SqlTransaction, ? extends Publisher<T>> work);

	/**
	 * A round trip to the database with a trivial statement, bypassing validation and retry.
	 * @return the round-trip time
	 */
	Mono<Duration> ping();

	/**
	 * Releases the node's share of its pool; the pool closes when its last node closes. Calls made afterwards
	 * fail. Idempotent.
	 */
	@Override
	void close();

	/**
	 * A builder for a node outside Spring Boot.
	 * @param settings the node settings
	 * @return a new builder
	 */
	static Builder builder(NodeSettings settings) {
		return new Builder(settings);
	}

	/**
	 * Builds a node. By default the node gets a pool registry of its own (closed with the node; its acquisition meters
	 * go to the node's meter registry), no metrics, no observations, and Jackson for JSON when Jackson is on the class
	 * path.
	 */
	final class Builder {

		private final NodeSettings settings;

		private @Nullable ConnectionPools pools;

		private @Nullable MeterRegistry meterRegistry;

		private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		private @Nullable QueryObservationConvention queryObservationConvention;

		private @Nullable TransactionObservationConvention transactionObservationConvention;

		private @Nullable JsonCodec jsonCodec;

		private Scheduler timerScheduler = Schedulers.parallel();

		private ConnectionFactoryCustomizer connectionFactoryCustomizer = ConnectionFactoryCustomizer.NONE;

		private Builder(NodeSettings settings) {
			this.settings = settings;
		}

		/** @return the settings the node is built with */
		public NodeSettings settings() {
			return this.settings;
		}

		/**
		 * Uses a shared pool registry, so nodes with equal connection and pool settings share a pool. The
		 * registry stays open when the node closes.
		 * @param pools the registry
		 * @return this builder
		 */
		public Builder pools(ConnectionPools pools) {
			this.pools = pools;
			return this;
		}

		/**
		 * Publishes the {@code asyncsql.*} meters to a registry.
		 * @param meterRegistry the registry, or {@code null} for none
		 * @return this builder
		 */
		public Builder meterRegistry(@Nullable MeterRegistry meterRegistry) {
			this.meterRegistry = meterRegistry;
			return this;
		}

		/**
		 * Observes each query as {@code asyncsql.query} (and each transaction as {@code asyncsql.transaction}).
		 * @param observationRegistry the registry; {@link ObservationRegistry#NOOP} by default
		 * @return this builder
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = observationRegistry;
			return this;
		}

		/**
		 * Replaces the key values and names of {@code asyncsql.query} observations.
		 * @param convention the convention, or {@code null} for {@code DefaultQueryObservationConvention}
		 * @return this builder
		 */
		public Builder queryObservationConvention(@Nullable QueryObservationConvention convention) {
			this.queryObservationConvention = convention;
			return this;
		}

		/**
		 * Replaces the key values and names of {@code asyncsql.transaction} observations.
		 * @param convention the convention, or {@code null} for {@code DefaultTransactionObservationConvention}
		 * @return this builder
		 */
		public Builder transactionObservationConvention(@Nullable TransactionObservationConvention convention) {
			this.transactionObservationConvention = convention;
			return this;
		}

		/**
		 * Converts JSON parameters and {@code json}/{@code jsonb} columns.
		 * @param jsonCodec the codec; by default Jackson when present
		 * @return this builder
		 */
		public Builder jsonCodec(JsonCodec jsonCodec) {
			this.jsonCodec = jsonCodec;
			return this;
		}

		/**
		 * The scheduler for retry delays and timeouts; tests use a virtual-time scheduler.
		 * @param timerScheduler the scheduler; {@link Schedulers#parallel()} by default
		 * @return this builder
		 */
		public Builder timerScheduler(Scheduler timerScheduler) {
			this.timerScheduler = timerScheduler;
			return this;
		}

		/**
		 * Changes how the node's pool gets its connections, when the node makes a new pool.
		 * @param connectionFactoryCustomizer the customizer; {@link ConnectionFactoryCustomizer#NONE} by default
		 * @return this builder
		 */
		public Builder connectionFactoryCustomizer(ConnectionFactoryCustomizer connectionFactoryCustomizer) {
			this.connectionFactoryCustomizer = connectionFactoryCustomizer;
			return this;
		}

		/**
		 * Builds the node and leases its pool (opening the pool's initial connections lazily).
		 * @return the node
		 * @throws IllegalStateException when the driver for the database type is not on the class path
		 */
		public AsyncSqlNode build() {
			boolean ownsPools = (this.pools == null);
			ConnectionPools pools = ownsPools ? new ConnectionPools(this.meterRegistry) : this.pools;
			JsonCodec json = (this.jsonCodec != null) ? this.jsonCodec : JsonCodec.detect();
			return new DefaultAsyncSqlNode(this.settings, pools, ownsPools, this.meterRegistry,
					new ObservationSettings(this.observationRegistry, this.queryObservationConvention,
							this.transactionObservationConvention), json, this.timerScheduler, this.connectionFactoryCustomizer);
		}

	}

}
