package io.asyncsql.sample.ledger;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.Query;
import io.asyncsql.core.SqlTransaction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

/**
 * Moves money between accounts and lists what moved.
 */
@Service
public class TransferService {

	/** The most transfers one listing returns. */
	public static final int MAX_LISTED = 1000;

	private final AsyncSqlNode ledger;

	private final AsyncSqlNode reader;

	private final AuditTrail audit;

	private final LedgerSql sql;

	/**
	 * Creates the service.
	 * @param ledger the node for writes
	 * @param reader the node for reads
	 * @param audit the history every write appends to
	 */
	public TransferService(@Qualifier("ledger") AsyncSqlNode ledger, @Qualifier("reader") AsyncSqlNode reader,
			AuditTrail audit) {
		this.ledger = ledger;
		this.reader = reader;
		this.audit = audit;
		this.sql = LedgerSql.of(ledger);
	}

	/**
	 * Moves {@code amount} from one account to another in one transaction: both rows are locked (in id order, so
	 * that opposite transfers queue instead of deadlocking), the debited balance is checked, both balances and
	 * versions change, and the transfer row and one audit event per account are written. Any failure rolls all of
	 * it back; a deadlock or serialization failure runs the whole transaction again.
	 * @param fromAccount the debited account
	 * @param toAccount the credited account, another one
	 * @param amount a checked amount, greater than zero
	 * @return the transfer, once committed; fails with {@link AccountNotFoundException} or
	 * {@link InsufficientFundsException}, with nothing changed
	 */
	public Mono<Transfer> transfer(long fromAccount, long toAccount, BigDecimal amount) {
		if (fromAccount == toAccount) {
			return Mono.error(new InvalidRequestException("toAccount", "toAccount must differ from fromAccount"));
		}
		List<Long> ids = List.of(Math.min(fromAccount, toAccount), Math.max(fromAccount, toAccount));
		return this.ledger.inTransaction(tx -> tx.execute(this.sql.lockAccounts(ids))
			.flatMap(locked -> {
				Map<Long, Account> accounts = new LinkedHashMap<>();
				locked.rows().forEach(row -> {
					Account account = Account.fromRow(row, this.sql);
					accounts.put(account.id(), account);
				});
				for (long id : List.of(fromAccount, toAccount)) {
					if (!accounts.containsKey(id)) {
						return Mono.error(new AccountNotFoundException(id));
					}
				}
				BigDecimal balance = accounts.get(fromAccount).balance();
				if (balance.compareTo(amount) < 0) {
					return Mono.error(new InsufficientFundsException(fromAccount, balance, amount));
				}
				return Flux.fromIterable(ids)
					.concatMap(id -> adjust(tx, id, (id == fromAccount) ? amount.negate() : amount))
					.collectList()
					.flatMap(updated -> record(tx, fromAccount, toAccount, amount, updated));
			}))
			.single();
	}

	private Mono<Account> adjust(SqlTransaction tx, long id, BigDecimal delta) {
		return tx.execute(Query.of(this.sql.adjustBalance()).param("delta", delta).param("id", id))
			.map(result -> Account.fromRow(result.one(), this.sql));
	}

	private Mono<Transfer> record(SqlTransaction tx, long fromAccount, long toAccount, BigDecimal amount,
			List<Account> updated) {
		Map<String, Object> params = Map.of("fromAccount", fromAccount, "toAccount", toAccount, "amount", amount);
		return tx.execute(this.sql.insertTransfer(), params)
			.map(result -> Transfer.fromRow(result.one(), this.sql))
			.flatMap(transfer -> Flux.fromIterable(updated)
				.concatMap(account -> this.audit.record(tx, account,
						(account.id() == fromAccount) ? "transfer_out" : "transfer_in",
						Map.of("transfer", Map.of("id", transfer.id(), "fromAccount", fromAccount, "toAccount", toAccount,
								"amount", amount))))
				.then(Mono.just(transfer)));
	}

	/**
	 * Lists transfers made at or after a point in time.
	 * @param since the earliest creation time
	 * @param limit the most transfers returned, at most {@value #MAX_LISTED}
	 * @return the transfers, oldest first
	 */
	public Flux<Transfer> since(OffsetDateTime since, int limit) {
		return this.reader.execute(Query
			.of("SELECT * FROM transfers WHERE created_at >= :since ORDER BY created_at, id LIMIT :limit")
			.param("since", since)
			.param("limit", Math.min(limit, MAX_LISTED)))
			.flatMapIterable(result -> result.rows())
			.map(row -> Transfer.fromRow(row, this.sql));
	}

}
