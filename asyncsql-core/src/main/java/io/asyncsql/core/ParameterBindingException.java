package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Parameters do not fit the statement: a missing or unknown name, a value that cannot be converted, an invalid
 * type hint. Raised before any round trip to the database. A Spring {@code InvalidDataAccessApiUsageException}.
 */
public class ParameterBindingException extends InvalidDataAccessApiUsageException implements AsyncSqlException {

	private final FailureOrigin origin;

	private final @Nullable String parameter;

	/**
	 * Creates the exception.
	 * @param message what is wrong, naming the parameter but never its value
	 * @param nodeName the node
	 * @param parameter the parameter name (or 1-based position), or {@code null}
	 * @param cause the underlying failure, or {@code null}
	 */
	public ParameterBindingException(String message, @Nullable String nodeName, @Nullable String parameter,
			@Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, null, 0);
		this.parameter = parameter;
	}

	/**
	 * The offending parameter.
	 * @return its name or 1-based position, or {@code null}
	 */
	public @Nullable String parameter() {
		return this.parameter;
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
