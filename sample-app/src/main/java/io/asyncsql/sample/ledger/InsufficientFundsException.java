package io.asyncsql.sample.ledger;

import java.math.BigDecimal;

/**
 * A transfer asked for more than the debited account holds. Raised inside the transfer's transaction, which then
 * rolls back: nothing changes.
 */
public class InsufficientFundsException extends RuntimeException {

	private final long accountId;

	private final BigDecimal balance;

	private final BigDecimal amount;

	/**
	 * Creates the exception.
	 * @param accountId the debited account
	 * @param balance its balance when the transfer held its lock
	 * @param amount the amount asked for
	 */
	public InsufficientFundsException(long accountId, BigDecimal balance, BigDecimal amount) {
		super("Account " + accountId + " cannot cover the transfer: its balance is lower than the amount");
		this.accountId = accountId;
		this.balance = balance;
		this.amount = amount;
	}

	/** @return the debited account */
	public long accountId() {
		return this.accountId;
	}

	/** @return its balance when the transfer held its lock */
	public BigDecimal balance() {
		return this.balance;
	}

	/** @return the amount asked for */
	public BigDecimal amount() {
		return this.amount;
	}

}
