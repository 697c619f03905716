package io.asyncsql.sample.web;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies the service accepts. Fields are checked by the ledger, which names the field at fault.
 */
final class Requests {

	private Requests() {
	}

	/**
	 * {@code POST /accounts}.
	 *
	 * @param owner who holds the account
	 * @param initialBalance the opening balance, zero when absent
	 * @param tags labels
	 * @param metadata free JSON attributes
	 */
	record OpenAccount(@Nullable String owner, @Nullable BigDecimal initialBalance, @Nullable List<String> tags,
			@Nullable Map<String, Object> metadata) {
	}

	/**
	 * {@code POST /accounts/{id}/deposit}.
	 *
	 * @param amount the amount to credit
	 */
	record Deposit(@Nullable BigDecimal amount) {
	}

	/**
	 * {@code POST /transfers}.
	 *
	 * @param fromAccount the debited account
	 * @param toAccount the credited account
	 * @param amount the amount to move
	 */
	record NewTransfer(@Nullable Long fromAccount, @Nullable Long toAccount, @Nullable BigDecimal amount) {
	}

}
