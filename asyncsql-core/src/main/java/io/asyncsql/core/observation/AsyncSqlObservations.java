package io.asyncsql.core.observation;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.sql.StatementKind;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The Micrometer observations of nodes: {@value #QUERY} for each statement (a span per query in tracing) and
 * {@value #TRANSACTION} for each transaction a node opens, the parent of the statements run in it. Key values are
 * {@value #NODE}, {@value #SYSTEM} and {@value #OPERATION} (low cardinality) and {@value #STATEMENT}, the SQL text
 * without values (high cardinality).
 */
public final class AsyncSqlObservations {

	/** Observation of one statement. */
	public static final String QUERY = "asyncsql.query";

	/** Observation of one transaction opened by a node. */
	public static final String TRANSACTION = "asyncsql.transaction";

	/** Low-cardinality key: the node name. */
	public static final String NODE = "asyncsql.node";

	/** Low-cardinality key: the database product. */
	public static final String SYSTEM = "db.system";

	/** Low-cardinality key: the statement kind (select, insert, update, delete, other). */
	public static final String OPERATION = "db.operation";

	/** Low-cardinality key: how the transaction ended (commit, rollback). */
	public static final String OUTCOME = "asyncsql.outcome";

	/** High-cardinality key: the SQL text as written, never with values. */
	public static final String STATEMENT = "db.statement";

	/** The Reactor context key under which Micrometer publishes the current observation. */
	public static final String CONTEXT_KEY = "micrometer.observation";

	private AsyncSqlObservations() {
	}

	/**
	 * Starts the observation of a statement.
	 * @param registry the registry
	 * @param context the subscriber's context, holding the parent observation if any
	 * @param node the node name
	 * @param type the database product
	 * @param kind the statement kind
	 * @param sql the SQL text
	 * @return the started observation
	 */
	public static Observation startQuery(ObservationRegistry registry, ContextView context, String node,
			DatabaseType type, StatementKind kind, String sql) {
		return Observation.createNotStarted(QUERY, registry)
			.contextualName(kind.tag() + " " + node)
			.parentObservation(parent(context))
			.lowCardinalityKeyValues(KeyValues.of(NODE, node, SYSTEM, type.id(), OPERATION, kind.tag()))
			.highCardinalityKeyValue(STATEMENT, sql)
			.start();
	}

	/**
	 * Starts the observation of a transaction.
	 * @param registry the registry
	 * @param context the subscriber's context, holding the parent observation if any
	 * @param node the node name
	 * @param type the database product
	 * @return the started observation
	 */
	public static Observation startTransaction(ObservationRegistry registry, ContextView context, String node,
			DatabaseType type) {
		return Observation.createNotStarted(TRANSACTION, registry)
			.contextualName("transaction " + node)
			.parentObservation(parent(context))
			.lowCardinalityKeyValues(KeyValues.of(NODE, node, SYSTEM, type.id()))
			.start();
	}

	private static @Nullable Observation parent(ContextView context) {
		Object parent = context.getOrDefault(CONTEXT_KEY, null);
		return (parent instanceof Observation observation) ? observation : null;
	}

}
