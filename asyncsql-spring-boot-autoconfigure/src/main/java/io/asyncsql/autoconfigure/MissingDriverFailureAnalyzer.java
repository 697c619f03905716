package io.asyncsql.autoconfigure;

import io.asyncsql.core.dialect.MissingDriverException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a node whose database type needs an R2DBC driver the application does not have.
 */
class MissingDriverFailureAnalyzer extends AbstractFailureAnalyzer<MissingDriverException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingDriverException cause) {
		return new FailureAnalysis("An asyncsql node has database-type " + cause.databaseType().id()
				+ ", but the R2DBC driver for it is not on the class path.",
				"Add the dependency " + cause.artifact() + " to the application.", cause);
	}

}
