package io.asyncsql.core.observation;

import java.util.ArrayList;
import java.util.List;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.CommonLowCardinalityKeys;
import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.QueryHighCardinalityKeys;
import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.QueryLowCardinalityKeys;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link QueryObservationConvention}: the stable OpenTelemetry database keys ({@code db.system.name},
 * {@code db.namespace}, {@code db.operation.name}, {@code server.address}, {@code server.port},
 * {@code db.response.status_code}, {@code error.type}, and {@code db.query.text} as high cardinality) plus
 * {@code asyncsql.node}. The span is named {@code <operation> <database>}, for example {@code SELECT orders}.
 */
public class DefaultQueryObservationConvention implements QueryObservationConvention {

	/** The value of {@code error.type} for a call its caller cancelled. */
	public static final String CANCELLED = "cancelled";

	@Override
	public String getName() {
		return AsyncSqlObservations.QUERY;
	}

	@Override
	public String getContextualName(QueryObservationContext context) {
		DatabaseEndpoint endpoint = context.getEndpoint();
		return context.getOperationName() + " "
				+ ((endpoint.namespace() != null) ? endpoint.namespace() : endpoint.systemName());
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(QueryObservationContext context) {
		DatabaseEndpoint endpoint = context.getEndpoint();
		List<KeyValue> values = new ArrayList<>(5);
		values.add(QueryLowCardinalityKeys.DB_OPERATION_NAME.withValue(context.getOperationName()));
		if (endpoint.serverAddress() != null) {
			values.add(QueryLowCardinalityKeys.SERVER_ADDRESS.withValue(endpoint.serverAddress()));
			values.add(QueryLowCardinalityKeys.SERVER_PORT.withValue(Integer.toString(endpoint.serverPort())));
		}
		Throwable error = context.getError();
		if (error != null) {
			String sqlState = sqlState(error);
			if (sqlState != null) {
				values.add(QueryLowCardinalityKeys.DB_RESPONSE_STATUS_CODE.withValue(sqlState));
			}
			values.add(QueryLowCardinalityKeys.ERROR_TYPE.withValue((sqlState != null) ? sqlState
					: error.getClass().getName()));
		}
		else if (context.isCancelled()) {
			values.add(QueryLowCardinalityKeys.ERROR_TYPE.withValue(CANCELLED));
		}
		return CommonLowCardinalityKeys.of(endpoint, context.getNodeName()).and(values);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(QueryObservationContext context) {
		return KeyValues.of(QueryHighCardinalityKeys.DB_QUERY_TEXT.withValue(context.getQueryText()));
	}

	private static @Nullable String sqlState(Throwable error) {
		if (error instanceof AsyncSqlException failure && failure.sqlState() != null) {
			return failure.sqlState();
		}
		return TransientFailureClassifier.sqlState(error);
	}

}
