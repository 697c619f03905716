package io.asyncsql.sample.ledger;

import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.SqlOperations;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * The history of every account in {@code audit_events}: each write of an account appends an event with a
 * snapshot of the account after the write, in the writing transaction. So the trail is complete, and it is where
 * the account as a client read it at some version comes from when a change must be merged.
 */
@Component
public class AuditTrail {

	private final AsyncSqlNode reader;

	private final LedgerSql sql;

	/**
	 * Creates the trail.
	 * @param reader the node for reads, outside transactions
	 */
	public AuditTrail(@Qualifier("reader") AsyncSqlNode reader) {
		this.reader = reader;
		this.sql = LedgerSql.of(reader);
	}

	/**
	 * Appends an event for an account that was just written.
	 * @param transaction where the write happened: the event commits or rolls back with it
	 * @param account the account after the write
	 * @param type what happened, such as {@code deposit}
	 * @param details more about it, merged into the event data
	 * @return completes when the event is written
	 */
	Mono<Void> record(SqlOperations transaction, Account account, String type, Map<String, ?> details) {
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("type", type);
		data.put("account", account.snapshot());
		data.putAll(details);
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("accountId", account.id());
		params.put("accountVersion", account.version());
		params.put("eventData", data);
		return transaction.execute(this.sql.insertAuditEvent(), params).then();
	}

	/**
	 * The events of an account, oldest first.
	 * @param accountId the account
	 * @return the events; fails with {@link AccountNotFoundException} when the account does not exist
	 */
	public Flux<AuditEvent> history(long accountId) {
		return this.reader.execute("SELECT * FROM audit_events WHERE account_id = :accountId ORDER BY id",
				Map.of("accountId", accountId))
			.flatMapIterable(result -> result.rows())
			.map(row -> AuditEvent.fromRow(row, this.sql))
			// every account has the event that opened it: no events means no account, unless it predates the trail
			.switchIfEmpty(this.reader.execute("SELECT id FROM accounts WHERE id = :id", Map.of("id", accountId))
				.flatMapMany(result -> result.rows().isEmpty() ? Flux.error(new AccountNotFoundException(accountId))
						: Flux.empty()));
	}

	/**
	 * The account as it was at a version, from the snapshot of the event that wrote that version.
	 * @param accountId the account
	 * @param version the version
	 * @return the account, or empty when no event wrote that version
	 */
	@SuppressWarnings("unchecked")
	Mono<Account> accountAt(long accountId, long version) {
		return this.reader.execute(this.sql.auditEventAtVersion(accountId, version))
			.mapNotNull(result -> result.one())
			.map(row -> Account.fromSnapshot(
					(Map<String, @Nullable Object>) this.sql.readJsonObject(row.get("event_data")).get("account")));
	}

}
