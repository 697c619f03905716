package io.asyncsql.core.observation;

import java.util.Objects;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Where a node's observations go and the application's conventions for them.
 *
 * @param registry the registry; {@link ObservationRegistry#NOOP} observes nothing
 * @param queryConvention the convention for {@code asyncsql.query}, or {@code null} for
 * {@link DefaultQueryObservationConvention}
 * @param transactionConvention the convention for {@code asyncsql.transaction}, or {@code null} for
 * {@link DefaultTransactionObservationConvention}
 */
public record ObservationSettings(ObservationRegistry registry, @Nullable QueryObservationConvention queryConvention,
		@Nullable TransactionObservationConvention transactionConvention) {

	/** Observing nothing. */
	public static final ObservationSettings NONE = new ObservationSettings(ObservationRegistry.NOOP, null, null);

	/**
	 * Checks the registry.
	 * @throws NullPointerException when the registry is {@code null}
	 */
	public ObservationSettings {
		Objects.requireNonNull(registry, "registry must not be null");
	}

	/**
	 * The observations of a node.
	 * @param nodeName the node name
	 * @param endpoint the database the node runs on
	 * @return the node's observations
	 */
	public AsyncSqlObservations forNode(String nodeName, DatabaseEndpoint endpoint) {
		return new AsyncSqlObservations(this.registry, this.queryConvention, this.transactionConvention, nodeName,
				endpoint);
	}

}
