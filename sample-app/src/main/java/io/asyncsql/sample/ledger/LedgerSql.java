package io.asyncsql.sample.ledger;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.Query;
import org.jspecify.annotations.Nullable;

/**
 * The statements of the ledger whose text differs between databases: schema scripts, {@code RETURNING}, array and
 * JSON predicates, and how such columns come back. Every other statement is plain SQL that runs anywhere and lives
 * with the code that uses it.
 * <p>
 * Each method switches on the node's {@link DatabaseType}; a database the ledger has no SQL for is refused when
 * the application starts.
 */
public final class LedgerSql {

	// a schema name taken from configuration goes into DDL, so it must be a plain identifier
	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private final DatabaseType type;

	private LedgerSql(DatabaseType type) {
		this.type = type;
	}

	/**
	 * The ledger's SQL for the database a node talks to.
	 * @param node the node
	 * @return the SQL
	 * @throws IllegalStateException when the ledger has no SQL for the node's database
	 */
	public static LedgerSql of(AsyncSqlNode node) {
		return of(node.databaseType());
	}

	/**
	 * The ledger's SQL for a database.
	 * @param type the database
	 * @return the SQL
	 * @throws IllegalStateException when the ledger has no SQL for the database
	 */
	public static LedgerSql of(DatabaseType type) {
		LedgerSql sql = new LedgerSql(type);
		sql.schemaScript(); // fails for a database the ledger does not support
		return sql;
	}

	/** @return the database */
	public DatabaseType databaseType() {
		return this.type;
	}

	// ---------------------------------------------------------------- schema

	/**
	 * The class-path resource holding the DDL: {@code CREATE ... IF NOT EXISTS} statements, so running it again is
	 * harmless.
	 * @return the resource location
	 */
	public String schemaScript() {
		return switch (this.type) {
			case POSTGRESQL -> "schema-postgresql.sql";
			case H2 -> "schema-h2.sql";
			default -> throw unsupported();
		};
	}

	/**
	 * Statements that run in the schema's transaction before its script: on PostgreSQL, creating the first schema of
	 * the node's {@code search_path} option, when it has one.
	 * @param node the node that runs the DDL
	 * @return the statements, possibly none
	 * @throws IllegalStateException when the schema name is not a plain identifier
	 */
	public List<String> schemaPreamble(AsyncSqlNode node) {
		return switch (this.type) {
			case POSTGRESQL -> {
				List<String> statements = new ArrayList<>();
				String searchPath = node.settings().connection().options().get("search_path");
				if (searchPath != null && !searchPath.isBlank()) {
					String schema = searchPath.split(",")[0].trim();
					if (!IDENTIFIER.matcher(schema).matches()) {
						throw new IllegalStateException("The first schema of the search_path option of node '"
								+ node.name() + "' is not a plain identifier (letters, digits and '_'); the ledger "
								+ "cannot create it");
					}
					statements.add("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
				}
				yield statements;
			}
			case H2 -> List.of();
			default -> throw unsupported();
		};
	}

	// ---------------------------------------------------------------- accounts

	/** @return inserts {@code :owner, :balance, :tags, :metadata} and returns the new row */
	String insertAccount() {
		return switch (this.type) {
			case POSTGRESQL -> "INSERT INTO accounts (owner, balance, tags, metadata) "
					+ "VALUES (:owner, :balance, :tags, :metadata) RETURNING *";
			// H2 returns written rows through a data change delta table
			case H2 -> "SELECT * FROM FINAL TABLE (INSERT INTO accounts (owner, balance, tags, metadata) "
					+ "VALUES (:owner, :balance, :tags, :metadata))";
			default -> throw unsupported();
		};
	}

	/**
	 * The accounts with the given ids, in id order, in one statement whatever the number of ids.
	 * @param ids the ids
	 * @return the query
	 */
	Query accountsByIds(List<Long> ids) {
		return switch (this.type) {
			case POSTGRESQL, H2 -> Query.of("SELECT * FROM accounts WHERE id = ANY(:ids) ORDER BY id").param("ids", ids);
			default -> throw unsupported();
		};
	}

	/**
	 * The accounts carrying a tag, in id order.
	 * @param tag the tag
	 * @param limit the most rows returned
	 * @return the query
	 */
	Query accountsByTag(String tag, int limit) {
		return switch (this.type) {
			case POSTGRESQL, H2 -> Query.of("SELECT * FROM accounts WHERE :tag = ANY(tags) ORDER BY id LIMIT :limit")
				.param("tag", tag)
				.param("limit", limit);
			default -> throw unsupported();
		};
	}

	/**
	 * Locks the accounts with the given ids for the rest of the transaction, always in id order, so that two
	 * transfers between the same accounts queue up instead of deadlocking.
	 * @param ids the ids
	 * @return the query, returning the locked rows in id order
	 */
	Query lockAccounts(List<Long> ids) {
		return switch (this.type) {
			case POSTGRESQL, H2 -> Query.of("SELECT * FROM accounts WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
				.param("ids", ids);
			default -> throw unsupported();
		};
	}

	/** @return adds {@code :delta} to the balance of account {@code :id}, raises its version, returns the row */
	String adjustBalance() {
		return switch (this.type) {
			case POSTGRESQL -> "UPDATE accounts SET balance = balance + :delta, version = version + 1 WHERE id = :id "
					+ "RETURNING *";
			case H2 -> "SELECT * FROM FINAL TABLE (UPDATE accounts SET balance = balance + :delta, "
					+ "version = version + 1 WHERE id = :id)";
			default -> throw unsupported();
		};
	}

	// ---------------------------------------------------------------- transfers and audit events

	/** @return inserts {@code :fromAccount, :toAccount, :amount} and returns the new row */
	String insertTransfer() {
		return switch (this.type) {
			case POSTGRESQL -> "INSERT INTO transfers (from_account, to_account, amount) "
					+ "VALUES (:fromAccount, :toAccount, :amount) RETURNING *";
			case H2 -> "SELECT * FROM FINAL TABLE (INSERT INTO transfers (from_account, to_account, amount) "
					+ "VALUES (:fromAccount, :toAccount, :amount))";
			default -> throw unsupported();
		};
	}

	/** @return inserts {@code :accountId}, {@code :accountVersion} and the JSON object {@code :eventData} */
	String insertAuditEvent() {
		return switch (this.type) {
			// a Map binds as jsonb on PostgreSQL and as JSON on H2
			case POSTGRESQL, H2 -> "INSERT INTO audit_events (account_id, account_version, event_data) "
					+ "VALUES (:accountId, :accountVersion, :eventData)";
			default -> throw unsupported();
		};
	}

	/**
	 * The audit event that wrote a given version of an account; its {@code account} snapshot is the account as it
	 * was at that version.
	 * @param accountId the account
	 * @param version the version
	 * @return the query, returning {@code event_data} of at most one row
	 */
	Query auditEventAtVersion(long accountId, long version) {
		return switch (this.type) {
			case POSTGRESQL, H2 -> Query.of("SELECT event_data FROM audit_events WHERE account_id = :accountId "
					+ "AND account_version = :version ORDER BY id LIMIT 1")
				.param("accountId", accountId)
				.param("version", version);
			default -> throw unsupported();
		};
	}

	// ---------------------------------------------------------------- reading columns

	/**
	 * Reads an array-of-text column.
	 * @param value the column value
	 * @return the elements, empty for {@code null}
	 */
	List<String> readTextArray(@Nullable Object value) {
		if (value == null) {
			return new ArrayList<>();
		}
		return switch (this.type) {
			// both read SQL arrays as lists
			case POSTGRESQL, H2 -> {
				List<String> elements = new ArrayList<>();
				for (Object element : (List<?>) value) {
					elements.add(String.valueOf(element));
				}
				yield elements;
			}
			default -> throw unsupported();
		};
	}

	/**
	 * Reads a JSON column that holds an object.
	 * @param value the column value
	 * @return the object, empty for {@code null}
	 */
	@SuppressWarnings("unchecked")
	Map<String, @Nullable Object> readJsonObject(@Nullable Object value) {
		if (value == null) {
			return new LinkedHashMap<>();
		}
		return switch (this.type) {
			// the node parses jsonb (and H2's json) with the application's JSON mapper
			case POSTGRESQL, H2 -> (Map<String, @Nullable Object>) value;
			default -> throw unsupported();
		};
	}

	/**
	 * Reads a timestamp-with-time-zone column.
	 * @param value the column value
	 * @return the instant with its offset
	 */
	OffsetDateTime readTimestamp(@Nullable Object value) {
		return switch (this.type) {
			case POSTGRESQL, H2 -> (OffsetDateTime) value;
			default -> throw unsupported();
		};
	}

	private IllegalStateException unsupported() {
		return new IllegalStateException("The funds-transfer service has no SQL for " + this.type.id()
				+ " databases; configure its nodes for postgresql or h2");
	}

}
