package io.asyncsql.core.node;

import java.time.Duration;

import io.asyncsql.core.FetchMode;
import io.asyncsql.core.retry.RetryScope;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.core.sql.StatementKind;

/**
 * A validated, bound statement with its execution options: what is left to do is to send it.
 *
 * @param bound the SQL with markers and its values
 * @param fetchMode how many rows to keep
 * @param fetchSize the row count for MANY, or the chunk size for streams; 0 when unset
 * @param timeout the statement timeout
 */
record PreparedCall(BoundStatement bound, FetchMode fetchMode, int fetchSize, Duration timeout) {

	String sql() {
		return this.bound.template().sql();
	}

	StatementKind kind() {
		return this.bound.template().kind();
	}

	/** @return whether the text holds no statement at all (only blanks, comments or {@code ;}) */
	boolean noStatement() {
		return this.bound.template().statementCount() == 0;
	}

	RetryScope retryScope() {
		return this.bound.template().readOnly() ? RetryScope.READ_ONLY : RetryScope.AUTOCOMMIT_WRITE;
	}

}
