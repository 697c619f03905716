package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * Parameters do not fit the statement: a missing or unknown name, a value that cannot be converted, an invalid
 * type hint. Raised before any round trip to the database.
 */
public class ParameterBindingException extends AsyncSqlException {

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
		super(message, cause, nodeName, null, 0);
		this.parameter = parameter;
	}

	/**
	 * The offending parameter.
	 * @return its name or 1-based position, or {@code null}
	 */
	public @Nullable String parameter() {
		return this.parameter;
	}

}
