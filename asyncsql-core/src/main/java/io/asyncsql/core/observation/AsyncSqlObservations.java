package io.asyncsql.core.observation;

import java.util.Locale;

import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.StatementKind;
import io.asyncsql.core.sql.TokenType;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The Micrometer observations of one node: {@value #QUERY} for each statement (a CLIENT span per statement in
 * tracing) and {@value #TRANSACTION} for each transaction the node opens, the parent of the statements run in it.
 * Key values come from a {@link QueryObservationConvention} and a {@link TransactionObservationConvention}: the
 * defaults unless the application gives its own; {@link AsyncSqlObservationDocumentation} lists the keys.
 */
public final class AsyncSqlObservations {

	/** Observation of one statement. */
	public static final String QUERY = "asyncsql.query";

	/** Observation of one transaction opened by a node. */
	public static final String TRANSACTION = "asyncsql.transaction";

	/** The Reactor context key under which Micrometer publishes the current observation. */
	public static final String CONTEXT_KEY = "micrometer.observation";

	private static final DefaultQueryObservationConvention DEFAULT_QUERY = new DefaultQueryObservationConvention();

	private static final DefaultTransactionObservationConvention DEFAULT_TRANSACTION =
			new DefaultTransactionObservationConvention();

	// the longest first keyword taken as an operation name: longer words are not SQL keywords
	private static final int MAX_KEYWORD = 16;

	private final ObservationRegistry registry;

	private final @Nullable QueryObservationConvention queryConvention;

	private final @Nullable TransactionObservationConvention transactionConvention;

	private final String nodeName;

	private final DatabaseEndpoint endpoint;

	/**
	 * Observations of a node.
	 * @param registry the registry; nothing is observed when it is {@link ObservationRegistry#NOOP}
	 * @param queryConvention the application's convention for statements, or {@code null} for the default
	 * @param transactionConvention the application's convention for transactions, or {@code null} for the default
	 * @param nodeName the node name
	 * @param endpoint the database the node runs on
	 */
	public AsyncSqlObservations(ObservationRegistry registry, @Nullable QueryObservationConvention queryConvention,
			@Nullable TransactionObservationConvention transactionConvention, String nodeName,
			DatabaseEndpoint endpoint) {
		this.registry = registry;
		this.queryConvention = queryConvention;
		this.transactionConvention = transactionConvention;
		this.nodeName = nodeName;
		this.endpoint = endpoint;
	}

	/** @return whether nothing is observed */
	public boolean isNoop() {
		return this.registry.isNoop();
	}

	/**
	 * Starts the observation of a statement.
	 * @param context the subscriber's context, holding the parent observation if any
	 * @param template the statement
	 * @return the started observation; its context is a {@link QueryObservationContext}
	 */
	public Observation startQuery(ContextView context, SqlTemplate template) {
		QueryObservationContext query = new QueryObservationContext(this.nodeName, this.endpoint, template.kind(),
				operationName(template), template.sql());
		return AsyncSqlObservationDocumentation.QUERY
			.observation(this.queryConvention, DEFAULT_QUERY, () -> query, this.registry)
			.parentObservation(parent(context))
			.start();
	}

	/**
	 * Starts the observation of a transaction.
	 * @param context the subscriber's context, holding the parent observation if any
	 * @return the started observation; its context is a {@link TransactionObservationContext}
	 */
	public Observation startTransaction(ContextView context) {
		TransactionObservationContext transaction = new TransactionObservationContext(this.nodeName, this.endpoint);
		return AsyncSqlObservationDocumentation.TRANSACTION
			.observation(this.transactionConvention, DEFAULT_TRANSACTION, () -> transaction, this.registry)
			.parentObservation(parent(context))
			.start();
	}

	/**
	 * The {@code db.operation.name} of a statement: the kind for queries and DML, otherwise the statement's first
	 * keyword ({@code CREATE}, {@code CALL}, {@code SET}, ...), all upper case.
	 * @param template the statement
	 * @return the name
	 */
	static String operationName(SqlTemplate template) {
		StatementKind kind = template.kind();
		if (kind != StatementKind.OTHER) {
			return kind.name();
		}
		int first = template.firstSignificant();
		if (first >= 0) {
			SqlToken token = template.tokens().get(first);
			if (token.type() == TokenType.WORD && token.text().length() <= MAX_KEYWORD
					&& token.text().chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
				return token.text().toUpperCase(Locale.ROOT);
			}
		}
		return kind.name();
	}

	private static @Nullable Observation parent(ContextView context) {
		Object parent = context.getOrDefault(CONTEXT_KEY, null);
		return (parent instanceof Observation observation) ? observation : null;
	}

}
