package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;

/**
 * A write would have duplicated a primary or unique key (SQLState {@code 23505}, MySQL and MariaDB error 1062). A
 * Spring {@code DuplicateKeyException}, so a {@code DataIntegrityViolationException} too. The message names the key
 * but never the duplicated value.
 */
public class UniqueViolationException extends DuplicateKeyException implements AsyncSqlException {

	private final FailureOrigin origin;

	/**
	 * Creates the exception.
	 * @param message the database's message with bound values removed
	 * @param nodeName the node
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many attempts were made
	 * @param cause the driver's exception
	 */
	public UniqueViolationException(String message, @Nullable String nodeName, @Nullable String sqlState, int attempts,
			@Nullable Throwable cause) {
		super(message, cause);
		this.origin = new FailureOrigin(nodeName, sqlState, attempts);
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
