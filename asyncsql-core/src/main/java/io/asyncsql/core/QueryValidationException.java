package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessResourceUsageException;

/**
 * A statement was refused by validation before it reached the database. A Spring
 * {@code InvalidDataAccessResourceUsageException}, like a statement the database itself rejects.
 */
public class QueryValidationException extends InvalidDataAccessResourceUsageException implements AsyncSqlException {

	private final FailureOrigin origin;

	private final String rule;

	private final int position;

	/**
	 * Creates the exception.
	 * @param message which rule refused what, and how to allow it when that is possible
	 * @param nodeName the node
	 * @param rule the stable rule id, for example {@code admin_statement}
	 * @param position the 0-based character offset of the offending token in the SQL text, or -1
	 */
	public QueryValidationException(String message, @Nullable String nodeName, String rule, int position) {
		super(message, null);
		this.origin = new FailureOrigin(nodeName, null, 0);
		this.rule = rule;
		this.position = position;
	}

	/**
	 * The rule that refused the statement; also the {@code rule} tag of {@code asyncsql.validation.rejections}.
	 * @return the stable rule id
	 */
	public String rule() {
		return this.rule;
	}

	/**
	 * Where in the SQL text the offending token starts.
	 * @return the 0-based offset, or -1 when the rule concerns the whole statement
	 */
	public int position() {
		return this.position;
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
