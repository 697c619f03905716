package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An account as stored in {@code accounts}.
 *
 * @param id the account id
 * @param owner who holds the account
 * @param balance the balance, never negative, with two decimal places
 * @param tags free labels such as {@code premium}
 * @param metadata free JSON attributes
 * @param version the row version, raised by one on every write
 */
public record Account(long id, String owner, BigDecimal balance, List<String> tags, Map<String, @Nullable Object> metadata,
		long version) {

	/**
	 * Reads an account from a row of {@code accounts}.
	 * @param row the row, as a node returns it
	 * @param sql reads the columns whose Java type depends on the database
	 * @return the account
	 */
	static Account fromRow(Map<String, @Nullable Object> row, LedgerSql sql) {
		return new Account(((Number) row.get("id")).longValue(), (String) row.get("owner"), (BigDecimal) row.get("balance"),
				sql.readTextArray(row.get("tags")), sql.readJsonObject(row.get("metadata")),
				((Number) row.get("version")).longValue());
	}

	/**
	 * Reads an account from the snapshot an audit event holds.
	 * @param snapshot the {@code account} object of an event's data
	 * @return the account as it was at the snapshot's version
	 */
	@SuppressWarnings("unchecked")
	static Account fromSnapshot(Map<String, @Nullable Object> snapshot) {
		Object balance = snapshot.get("balance");
		return new Account(((Number) snapshot.get("id")).longValue(), (String) snapshot.get("owner"),
				(balance instanceof BigDecimal decimal) ? decimal : new BigDecimal(String.valueOf(balance)),
				new ArrayList<>((List<String>) snapshot.get("tags")),
				new LinkedHashMap<>((Map<String, @Nullable Object>) snapshot.get("metadata")),
				((Number) snapshot.get("version")).longValue());
	}

	/**
	 * The account as a JSON object for an audit event: every column, so any past version can be rebuilt.
	 * @return the snapshot
	 */
	Map<String, Object> snapshot() {
		Map<String, Object> snapshot = new LinkedHashMap<>();
		snapshot.put("id", this.id);
		snapshot.put("owner", this.owner);
		snapshot.put("balance", this.balance);
		snapshot.put("tags", this.tags);
		snapshot.put("metadata", this.metadata);
		snapshot.put("version", this.version);
		return snapshot;
	}

}
