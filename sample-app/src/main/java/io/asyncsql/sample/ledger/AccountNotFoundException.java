package io.asyncsql.sample.ledger;

/**
 * No account has the id a request names.
 */
public class AccountNotFoundException extends RuntimeException {

	private final long accountId;

	/**
	 * Creates the exception.
	 * @param accountId the id that was not found
	 */
	public AccountNotFoundException(long accountId) {
		super("Account " + accountId + " does not exist");
		this.accountId = accountId;
	}

	/** @return the id that was not found */
	public long accountId() {
		return this.accountId;
	}

}
