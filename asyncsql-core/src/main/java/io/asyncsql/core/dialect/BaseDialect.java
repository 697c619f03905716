package io.asyncsql.core.dialect;

import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.sql.ParameterBinder;
import io.asyncsql.core.sql.SqlTemplateCache;
import io.asyncsql.core.validation.QueryValidator;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What every dialect holds the same way: the template cache, validator and failure classifier it shares with
 * every other instance of its type, a binder that applies its rules, and the JSON codec of the application.
 */
abstract class BaseDialect implements Dialect {

	protected final JsonCodec json;

	private final SqlTemplateCache templates;

	private final QueryValidator validator;

	private final TransientFailureClassifier classifier;

	private final ParameterBinder binder;

	BaseDialect(JsonCodec json, SqlTemplateCache templates, QueryValidator validator,
			TransientFailureClassifier classifier) {
		this.json = json;
		this.templates = templates;
		this.validator = validator;
		this.classifier = classifier;
		this.binder = new ParameterBinder(this);
	}

	@Override
	public final SqlTemplateCache templates() {
		return this.templates;
	}

	@Override
	public final ParameterBinder binder() {
		return this.binder;
	}

	@Override
	public final TransientFailureClassifier classifier() {
		return this.classifier;
	}

	@Override
	public final QueryValidator validator() {
		return this.validator;
	}

	/** SQLState 57014, {@code query_canceled}, as PostgreSQL and H2 report it. */
	@Override
	public boolean isCancellation(@Nullable String sqlState, int vendorCode) {
		return "57014".equals(sqlState);
	}

	/** The SQL standard's double quotes, doubled inside. */
	@Override
	public String quoteIdentifier(String identifier) {
		return '"' + identifier.replace("\"", "\"\"") + '"';
	}

	@Override
	public String pingQuery() {
		return "SELECT 1";
	}

	/**
	 * Runs a statement without parameters and reads its result to the end.
	 * @param connection the connection
	 * @param sql the statement
	 * @return completes when the statement has run
	 */
	protected static Mono<Void> simple(Connection connection, String sql) {
		return Flux.from(connection.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).then();
	}

}
