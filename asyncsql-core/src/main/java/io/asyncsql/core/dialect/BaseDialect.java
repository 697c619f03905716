package io.asyncsql.core.dialect;

import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.sql.ParameterBinder;
import io.asyncsql.core.sql.SqlTemplateCache;
import io.asyncsql.core.validation.QueryValidator;

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

}
