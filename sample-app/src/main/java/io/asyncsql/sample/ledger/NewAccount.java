package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A checked request to open an account.
 *
 * @param owner who holds the account
 * @param initialBalance the opening balance, zero or more
 * @param tags labels, without repeats
 * @param metadata free JSON attributes
 */
public record NewAccount(String owner, BigDecimal initialBalance, List<String> tags,
		Map<String, @Nullable Object> metadata) {

	/**
	 * Checks what a client sent.
	 * @param owner required, not blank, at most 200 characters
	 * @param initialBalance zero when absent; otherwise zero or more with at most two decimal places
	 * @param tags at most 32 non-blank strings of at most 64 characters; none when absent
	 * @param metadata any JSON object; empty when absent
	 * @return the request
	 * @throws InvalidRequestException naming the first field that breaks a rule
	 */
	public static NewAccount of(@Nullable String owner, @Nullable BigDecimal initialBalance, @Nullable List<?> tags,
			@Nullable Map<String, ?> metadata) {
		return new NewAccount(AccountFields.owner(owner), Money.nonNegative("initialBalance", initialBalance),
				AccountFields.tags(tags), AccountFields.metadata(metadata));
	}

}
