package io.asyncsql.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@code asyncsql.transaction} observations; replaceable like
 * {@link QueryObservationConvention}.
 */
public interface TransactionObservationConvention extends ObservationConvention<TransactionObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof TransactionObservationContext;
	}

}
