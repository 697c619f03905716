package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.locking.LockResult;
import io.asyncsql.locking.LockStatus;
import io.asyncsql.locking.MergeRule;
import io.asyncsql.locking.OptimisticLockConflictException;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.OptimisticLocked;
import io.asyncsql.locking.VersionedUpdate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opening, reading, crediting and editing accounts. Every write appends to the {@link AuditTrail} in its own
 * transaction. Reads go through the {@code reader} node (no transaction), writes through {@code ledger}
 * (manual transactions).
 */
@Service
public class AccountService {

	/** The most accounts one tag query returns. */
	public static final int MAX_TAGGED = 500;

	private static final String ACCOUNTS = "accounts";

	private final AsyncSqlNode ledger;

	private final AsyncSqlNode reader;

	private final OptimisticLockManager locks;

	private final AuditTrail audit;

	private final LedgerSql sql;

	/**
	 * Creates the service.
	 * @param ledger the node for writes
	 * @param reader the node for reads
	 * @param locks version-checked updates
	 * @param audit the history every write appends to
	 */
	public AccountService(@Qualifier("ledger") AsyncSqlNode ledger, @Qualifier("reader") AsyncSqlNode reader,
			OptimisticLockManager locks, AuditTrail audit) {
		this.ledger = ledger;
		this.reader = reader;
		this.locks = locks;
		this.audit = audit;
		this.sql = LedgerSql.of(ledger);
	}

	/**
	 * Opens an account at version 1 and records {@code account_opened}, in one transaction.
	 * @param request the checked request
	 * @return the new account
	 */
	public Mono<Account> open(NewAccount request) {
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("owner", request.owner());
		params.put("balance", request.initialBalance());
		params.put("tags", request.tags());
		params.put("metadata", request.metadata());
		return this.ledger.inTransaction(tx -> tx.execute(this.sql.insertAccount(), params)
			.map(result -> Account.fromRow(result.one(), this.sql))
			.flatMap(account -> this.audit.record(tx, account, "account_opened", Map.of()).thenReturn(account)))
			.single();
	}

	/**
	 * Reads an account.
	 * @param id the id
	 * @return the account; fails with {@link AccountNotFoundException}
	 */
	public Mono<Account> find(long id) {
		return this.reader.execute("SELECT * FROM accounts WHERE id = :id", Map.of("id", id), FetchMode.ONE)
			.mapNotNull(result -> result.one())
			.map(row -> Account.fromRow(row, this.sql))
			.switchIfEmpty(Mono.error(() -> new AccountNotFoundException(id)));
	}

	/**
	 * Reads the accounts with the given ids in one query; ids without an account are left out.
	 * @param ids the ids
	 * @return the accounts in id order
	 */
	public Flux<Account> findAll(List<Long> ids) {
		return this.reader.execute(this.sql.accountsByIds(ids))
			.flatMapIterable(result -> result.rows())
			.map(row -> Account.fromRow(row, this.sql));
	}

	/**
	 * Reads the accounts carrying a tag.
	 * @param tag the tag
	 * @return at most {@value #MAX_TAGGED} accounts in id order
	 */
	public Flux<Account> findTagged(String tag) {
		return this.reader.execute(this.sql.accountsByTag(tag, MAX_TAGGED))
			.flatMapIterable(result -> result.rows())
			.map(row -> Account.fromRow(row, this.sql));
	}

	/**
	 * Credits an account. The new balance is computed from the row as read and written only if the row's version
	 * did not move meanwhile; on a conflict the lock manager reads again and recomputes, so no concurrent deposit
	 * is ever lost. When its retries run out, {@code @OptimisticLocked} runs the whole method again in a fresh
	 * transaction.
	 * @param id the account
	 * @param amount a checked amount, greater than zero
	 * @return the account after the deposit; fails with {@link AccountNotFoundException}, or with
	 * {@link OptimisticLockConflictException} when the account stayed too contended
	 */
	@OptimisticLocked(maxRetries = 8, retryDelay = "5ms", backoffMultiplier = 1.5)
	@Transactional("ledgerTransactionManager")
	public Mono<Account> deposit(long id, BigDecimal amount) {
		return this.locks.update(this.ledger, ACCOUNTS, id,
				row -> Map.of("balance", ((BigDecimal) row.get("balance")).add(amount)))
			.flatMap(result -> switch (result.status()) {
				case SUCCESS -> {
					Account account = Account.fromRow(result.record(), this.sql);
					// joins the transaction @Transactional started
					yield this.audit.record(this.ledger, account, "deposit", Map.of("amount", amount)).thenReturn(account);
				}
				case RECORD_NOT_FOUND -> Mono.error(new AccountNotFoundException(id));
				default -> Mono.error(new OptimisticLockConflictException(result));
			});
	}

	/**
	 * Applies a client's change made on the account as it was at {@code baseVersion}. If the account moved on
	 * since, the change is merged three ways against that version (read back from the audit trail): fields only
	 * the client changed are written, tags changed on both sides are united, and a field both sides changed
	 * differently is a {@link MergeConflictException}, with nothing written.
	 * @param id the account
	 * @param baseVersion the version the client read
	 * @param changes the checked change
	 * @return the account after the change; fails with {@link AccountNotFoundException},
	 * {@link UnknownVersionException}, {@link MergeConflictException} or, when writers kept racing,
	 * {@link OptimisticLockConflictException}
	 */
	public Mono<Account> change(long id, long baseVersion, AccountChanges changes) {
		// the base is read before the transaction: the reader's connection must not be taken while one is pinned
		return this.audit.accountAt(id, baseVersion)
			.switchIfEmpty(Mono.defer(() -> find(id).then(Mono.error(new UnknownVersionException(id, baseVersion)))))
			.flatMap(base -> this.ledger.inTransaction(tx -> this.locks
				.updateWithVersion(this.ledger, VersionedUpdate.of(ACCOUNTS, id, baseVersion)
					.changes(changes.columns())
					.mergeAgainst(base.snapshot())
					.mergeRule("tags", MergeRule.LIST_UNION)
					.build())
				.flatMap(result -> written(tx, result, base, changes))).single());
	}

	private Mono<Account> written(SqlTransaction tx, LockResult result, Account base,
			AccountChanges changes) {
		return switch (result.status()) {
			case SUCCESS, MERGED -> {
				Account account = Account.fromRow(result.record(), this.sql);
				Map<String, @Nullable Object> details = new LinkedHashMap<>();
				details.put("basedOnVersion", base.version());
				details.put("changes", changes.columns());
				details.put("merged", result.status() == LockStatus.MERGED);
				yield this.audit.record(tx, account, "account_changed", details).thenReturn(account);
			}
			case MERGE_CONFLICT -> Mono.error(new MergeConflictException(base, changes.columns(),
					Account.fromRow(result.conflict().currentRecord(), this.sql), result.conflict().conflictingFields()));
			case RECORD_NOT_FOUND -> Mono.error(new AccountNotFoundException(base.id()));
			default -> Mono.error(new OptimisticLockConflictException(result));
		};
	}

}
