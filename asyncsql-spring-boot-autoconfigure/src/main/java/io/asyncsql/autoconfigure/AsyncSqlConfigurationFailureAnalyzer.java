package io.asyncsql.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an invalid {@code asyncsql.*} setting at startup: which property, what is wrong, how to fix it.
 */
class AsyncSqlConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<AsyncSqlConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, AsyncSqlConfigurationException cause) {
		return new FailureAnalysis("Invalid asyncsql configuration:\n\n    Property: " + cause.property()
				+ "\n    Problem:  " + cause.problem() + "\n", cause.action(), cause);
	}

}
