package io.asyncsql.core.observation;

import io.asyncsql.core.sql.StatementKind;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * The context of one {@code asyncsql.query} observation: a client call to a remote database, so tracing records it
 * as a span of kind CLIENT with the server as its peer. Holds what a {@link QueryObservationConvention} turns into
 * key values: the node, the database, the statement (its text never carries values) and whether the caller
 * cancelled it. The remote service name is the database name (or the product without one), the remote service
 * address {@code <product>://host:port}.
 */
public class QueryObservationContext extends SenderContext<Object> {

	private final String nodeName;

	private final DatabaseEndpoint endpoint;

	private final StatementKind kind;

	private final String operationName;

	private final String queryText;

	private volatile boolean cancelled;

	/**
	 * Creates the context of a statement.
	 * @param nodeName the node that runs it
	 * @param endpoint where it runs
	 * @param kind what it does
	 * @param operationName the upper-case operation ({@code SELECT}, {@code INSERT}, ..., or the first keyword of
	 * any other statement)
	 * @param queryText the SQL text as written, with parameter names or markers but no values
	 */
	public QueryObservationContext(String nodeName, DatabaseEndpoint endpoint, StatementKind kind,
			String operationName, String queryText) {
		// statements carry no propagation headers: nothing to inject into
		super((carrier, key, value) -> {
		}, Kind.CLIENT);
		this.nodeName = nodeName;
		this.endpoint = endpoint;
		this.kind = kind;
		this.operationName = operationName;
		this.queryText = queryText;
		setRemoteServiceName((endpoint.namespace() != null) ? endpoint.namespace() : endpoint.databaseType().id());
		String address = endpoint.remoteServiceAddress();
		if (address != null) {
			setRemoteServiceAddress(address);
		}
	}

	/** @return the node name */
	public String getNodeName() {
		return this.nodeName;
	}

	/** @return the database the statement went to */
	public DatabaseEndpoint getEndpoint() {
		return this.endpoint;
	}

	/** @return what the statement does */
	public StatementKind getStatementKind() {
		return this.kind;
	}

	/** @return the upper-case operation name */
	public String getOperationName() {
		return this.operationName;
	}

	/** @return the SQL text, never with values */
	public String getQueryText() {
		return this.queryText;
	}

	/** @return whether the caller cancelled the call before it ended */
	public boolean isCancelled() {
		return this.cancelled;
	}

	/** Marks the call as cancelled by its caller; done by the node before it stops the observation. */
	public void setCancelled() {
		this.cancelled = true;
	}

}
