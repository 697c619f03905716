package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.jspecify.annotations.Nullable;

/**
 * Amounts of money as the ledger stores them, in {@code numeric(19,2)} columns: exact decimals with at most two
 * places and at most 17 digits before the point. Amounts are never rounded: a value that does not fit is refused.
 */
public final class Money {

	/** The largest amount a {@code numeric(19,2)} column holds. */
	public static final BigDecimal MAX = new BigDecimal("99999999999999999.99");

	private Money() {
	}

	/**
	 * Checks an amount that moves money (a deposit or a transfer).
	 * @param field the request field, for messages
	 * @param value the amount sent
	 * @return the amount with a scale of 2
	 * @throws InvalidRequestException when it is missing, not greater than zero, has more than two decimal places
	 * or does not fit the column
	 */
	public static BigDecimal positive(String field, @Nullable BigDecimal value) {
		BigDecimal amount = exact(field, value);
		if (amount.signum() <= 0) {
			throw new InvalidRequestException(field, field + " must be greater than 0");
		}
		return amount;
	}

	/**
	 * Checks an opening balance.
	 * @param field the request field, for messages
	 * @param value the balance sent, or {@code null} for zero
	 * @return the balance with a scale of 2
	 * @throws InvalidRequestException when it is negative, has more than two decimal places or does not fit the
	 * column
	 */
	public static BigDecimal nonNegative(String field, @Nullable BigDecimal value) {
		if (value == null) {
			return BigDecimal.ZERO.setScale(2);
		}
		BigDecimal amount = exact(field, value);
		if (amount.signum() < 0) {
			throw new InvalidRequestException(field, field + " must not be negative");
		}
		return amount;
	}

	private static BigDecimal exact(String field, @Nullable BigDecimal value) {
		if (value == null) {
			throw new InvalidRequestException(field, field + " is required");
		}
		// 1.500 is 1.50 exactly; 1.505 is not a whole number of cents
		if (value.stripTrailingZeros().scale() > 2) {
			throw new InvalidRequestException(field, field + " must have at most 2 decimal places");
		}
		// compare before rescaling, so that 1E+999999999 is refused without building its billion digits
		if (value.abs().compareTo(MAX) > 0) {
			throw new InvalidRequestException(field, field + " must be at most " + MAX.toPlainString());
		}
		return value.setScale(2, RoundingMode.UNNECESSARY);
	}

}
