package io.asyncsql.sample.ledger;

/**
 * A change was based on a version of an account that never existed, so there is nothing to merge against.
 */
public class UnknownVersionException extends RuntimeException {

	private final long accountId;

	private final long version;

	/**
	 * Creates the exception.
	 * @param accountId the account
	 * @param version the version the client named
	 */
	public UnknownVersionException(long accountId, long version) {
		super("Account " + accountId + " has no version " + version + "; read the account and send the version it has");
		this.accountId = accountId;
		this.version = version;
	}

	/** @return the account */
	public long accountId() {
		return this.accountId;
	}

	/** @return the version the client named */
	public long version() {
		return this.version;
	}

}
