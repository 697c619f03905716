package io.asyncsql.core.observation;

import java.util.ArrayList;
import java.util.List;

import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.TransactionLowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link TransactionObservationConvention}: {@code db.system.name}, {@code db.namespace},
 * {@code asyncsql.node} and, once it ended, {@code asyncsql.outcome}; named {@code transaction <node>}.
 */
public class DefaultTransactionObservationConvention implements TransactionObservationConvention {

	@Override
	public String getName() {
		return AsyncSqlObservations.TRANSACTION;
	}

	@Override
	public String getContextualName(TransactionObservationContext context) {
		return "transaction " + context.getNodeName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(TransactionObservationContext context) {
		DatabaseEndpoint endpoint = context.getEndpoint();
		List<KeyValue> values = new ArrayList<>(4);
		values.add(TransactionLowCardinalityKeys.DB_SYSTEM_NAME.withValue(endpoint.systemName()));
		if (endpoint.namespace() != null) {
			values.add(TransactionLowCardinalityKeys.DB_NAMESPACE.withValue(endpoint.namespace()));
		}
		values.add(TransactionLowCardinalityKeys.NODE.withValue(context.getNodeName()));
		if (context.getOutcome() != null) {
			values.add(TransactionLowCardinalityKeys.OUTCOME.withValue(context.getOutcome()));
		}
		return KeyValues.of(values);
	}

}
