package io.asyncsql.core.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of {@code asyncsql.query} observations. Implement it (or extend
 * {@link DefaultQueryObservationConvention}) and give it to the node builder, or declare it as a bean in Spring
 * Boot, to change what spans carry.
 */
public interface QueryObservationConvention extends ObservationConvention<QueryObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof QueryObservationContext;
	}

}
