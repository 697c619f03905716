package io.asyncsql.sample.ledger;

/**
 * A request the ledger refuses before touching the database: a missing or malformed field, an amount with too many
 * decimals, a transfer to the same account. The message names the field and the rule, never the value sent.
 */
public class InvalidRequestException extends RuntimeException {

	private final String field;

	/**
	 * Creates the exception.
	 * @param field the request field at fault, such as {@code amount}
	 * @param message what is wrong and what is allowed
	 */
	public InvalidRequestException(String field, String message) {
		super(message);
		this.field = field;
	}

	/** @return the request field at fault */
	public String field() {
		return this.field;
	}

}
