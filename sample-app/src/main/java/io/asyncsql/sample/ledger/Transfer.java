package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A completed transfer, as stored in {@code transfers}.
 *
 * @param id the transfer id
 * @param fromAccount the debited account
 * @param toAccount the credited account
 * @param amount the amount moved, greater than zero
 * @param createdAt when the transfer's transaction started
 */
public record Transfer(long id, long fromAccount, long toAccount, BigDecimal amount, OffsetDateTime createdAt) {

	static Transfer fromRow(Map<String, @Nullable Object> row, LedgerSql sql) {
		return new Transfer(((Number) row.get("id")).longValue(), ((Number) row.get("from_account")).longValue(),
				((Number) row.get("to_account")).longValue(), (BigDecimal) row.get("amount"),
				sql.readTimestamp(row.get("created_at")));
	}

}
