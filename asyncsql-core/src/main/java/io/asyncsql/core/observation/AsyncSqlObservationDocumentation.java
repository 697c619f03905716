package io.asyncsql.core.observation;

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
			return QueryLowCardinalityKeys.values();
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
			return TransactionLowCardinalityKeys.values();
		}

	};

	/** Low-cardinality keys of {@code asyncsql.query}. */
	public enum QueryLowCardinalityKeys implements KeyName {

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
		},

		/** The node name. */
		NODE {
			@Override
			public String asString() {
				return "asyncsql.node";
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

	/** Low-cardinality keys of {@code asyncsql.transaction}. */
	public enum TransactionLowCardinalityKeys implements KeyName {

		/** The database product, as on queries. */
		DB_SYSTEM_NAME {
			@Override
			public String asString() {
				return "db.system.name";
			}
		},

		/** The database name, as on queries. */
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
		},

		/** How the transaction ended: {@code commit} or {@code rollback}. */
		OUTCOME {
			@Override
			public String asString() {
				return "asyncsql.outcome";
			}
		}

	}

}
