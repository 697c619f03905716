package io.asyncsql.sample.ledger;

import java.time.OffsetDateTime;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One entry of an account's history, as stored in {@code audit_events}. Every write of an account appends one, in
 * the same transaction, with a snapshot of the account after the write: the history is complete, and any version
 * of the account can be read back from it.
 *
 * @param id the event id, increasing
 * @param accountId the account
 * @param eventData what happened: {@code type}, the {@code account} snapshot, and details of the change
 * @param createdAt when the writing transaction started
 */
public record AuditEvent(long id, long accountId, Map<String, @Nullable Object> eventData, OffsetDateTime createdAt) {

	static AuditEvent fromRow(Map<String, @Nullable Object> row, LedgerSql sql) {
		return new AuditEvent(((Number) row.get("id")).longValue(), ((Number) row.get("account_id")).longValue(),
				sql.readJsonObject(row.get("event_data")), sql.readTimestamp(row.get("created_at")));
	}

}
