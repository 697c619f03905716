package io.asyncsql.core.observation;

import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.CommonLowCardinalityKeys;
import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.TransactionLowCardinalityKeys;
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
		KeyValues common = CommonLowCardinalityKeys.of(context.getEndpoint(), context.getNodeName());
		String outcome = context.getOutcome();
		return (outcome != null) ? common.and(TransactionLowCardinalityKeys.OUTCOME.withValue(outcome)) : common;
	}

}
