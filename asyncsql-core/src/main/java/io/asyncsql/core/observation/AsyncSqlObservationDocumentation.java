package io.asyncsql.core.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations nodes make and their key names. Query keys follow the stable OpenTelemetry database semantic
 * conventions; keys of asyncsql's own are under {@code asyncsql.}.
 */
public enum AsyncSqlObservationDocumentation implements ObservationDocumentation {

	/**
	 * One statement, from subscription to its last signal (all retries included): a CLIENT span.
	 */
	QUERY {

		@Override
		public String getName() {
			return AsyncSqlObservations.QUERY;
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultQueryObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return KeyName.merge(CommonLowCardinalityKeys.values(), QueryLowCardinalityKeys.values());
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return QueryHighCardinalityKeys.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return QueryEvents.values();
		}

	},

	/**
	 * One transaction a node opened, from {@code BEGIN} to commit or rollback; the parent of its statements.
	 */
	TRANSACTION {

		@Override
		public String getName() {
			return AsyncSqlObservations.TRANSACTION;
		}

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultTransactionObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return KeyName.merge(CommonLowCardinalityKeys.values(), TransactionLowCardinalityKeys.values());
		}

	};

	/** Low-cardinality keys of both {@code asyncsql.query} and {@code asyncsql.transaction}. */
	public enum CommonLowCardinalityKeys implements KeyName {

		/** The database product: {@code postgresql}, {@code mariadb}, {@code mysql}, {@code h2database}. */
		DB_SYSTEM_NAME {
			@Override
			public String asString() {
				return "db.system.name";
			}
		},

		/** The database name; absent when the settings do not name one. */
		DB_NAMESPACE {
			@Override
			public String asString() {
				return "db.namespace";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/** The node name. */
		NODE {
			@Override
			public String asString() {
				return "asyncsql.node";
			}
		};

		/**
		 * The common key values of a node's observation.
		 * @param endpoint the database
		 * @param nodeName the node
		 * @return the key values
		 */
		public static KeyValues of(DatabaseEndpoint endpoint, String nodeName) {
			KeyValues values = KeyValues.of(DB_SYSTEM_NAME.withValue(endpoint.systemName()), NODE.withValue(nodeName));
			return (endpoint.namespace() != null) ? values.and(DB_NAMESPACE.withValue(endpoint.namespace())) : values;
		}

	}

	/** Low-cardinality keys of {@code asyncsql.query} besides the {@link CommonLowCardinalityKeys}. */
	public enum QueryLowCardinalityKeys implements KeyName {

		/** The operation, upper case: {@code SELECT}, {@code INSERT}, {@code UPDATE}, {@code DELETE}, or the first
		 * keyword of any other statement ({@code CREATE}, {@code CALL}, ...). */
		DB_OPERATION_NAME {
			@Override
			public String asString() {
				return "db.operation.name";
			}
		},

		/** The server host; absent for embedded H2. */
		SERVER_ADDRESS {
			@Override
			public String asString() {
				return "server.address";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/** The server port; absent for embedded H2. */
		SERVER_PORT {
			@Override
			public String asString() {
				return "server.port";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/** The SQLState the database answered a failed statement with; absent without one. */
		DB_RESPONSE_STATUS_CODE {
			@Override
			public String asString() {
				return "db.response.status_code";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		},

		/** How a call that did not succeed ended: the SQLState when the database gave one, otherwise the
		 * exception's class name, or {@code cancelled} when the caller cancelled; absent on success. */
		ERROR_TYPE {
			@Override
			public String asString() {
				return "error.type";
			}

			@Override
			public boolean isRequired() {
				return false;
			}
		}

	}

	/** High-cardinality keys of {@code asyncsql.query}. */
	public enum QueryHighCardinalityKeys implements KeyName {

		/** The SQL text as written, with parameter names or markers, never values. */
		DB_QUERY_TEXT {
			@Override
			public String asString() {
				return "db.query.text";
			}
		}

	}

	/** Events of {@code asyncsql.query}. */
	public enum QueryEvents implements Observation.Event {

		/** The caller cancelled the call before it ended. */
		CANCELLED {
			@Override
			public String getName() {
				return "cancelled";
			}

			@Override
			public String getContextualName() {
				return "cancelled";
			}
		}

	}

	/** Low-cardinality keys of {@code asyncsql.transaction} besides the {@link CommonLowCardinalityKeys}. */
	public enum TransactionLowCardinalityKeys implements KeyName {

		/** How the transaction ended: {@code commit} or {@code rollback}. */
		OUTCOME {
			@Override
			public String asString() {
				return "asyncsql.outcome";
			}
		}

	}

}
