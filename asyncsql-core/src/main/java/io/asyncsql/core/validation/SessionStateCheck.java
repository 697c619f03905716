package io.asyncsql.core.validation;

import java.util.Set;

import io.asyncsql.core.cache.BoundedLruCache;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.TokenType;
import org.jspecify.annotations.Nullable;

/**
 * Refuses PostgreSQL statements whose effect outlives their transaction, for nodes behind a transaction-pooling
 * proxy ({@code pooler: transaction}). There each transaction may run on another server session and the session is
 * then handed to other clients, so session state either vanishes for the caller or leaks to strangers:
 * {@code LISTEN} (notifications go to a session the caller no longer has), session-level advisory locks (held by a
 * session nobody owns), {@code SET} and {@code RESET} other than {@code SET LOCAL} (the setting stays on the
 * session), {@code set_config(..., false)}, SQL-level {@code PREPARE}/{@code EXECUTE}/{@code DEALLOCATE},
 * {@code DECLARE ... WITH HOLD} cursors, and temporary tables other than {@code ON COMMIT DROP} ones. Transaction-
 * scoped forms pass: {@code SET LOCAL}, {@code pg_advisory_xact_lock}, {@code set_config(..., true)}, cursors without
 * {@code HOLD}, {@code CREATE TEMP TABLE ... ON COMMIT DROP}. Works on lexed tokens, so literals and comments never
 * count; verdicts are cached by SQL text. Thread-safe.
 */
public final class SessionStateCheck {

	private static final Set<String> SESSION_LOCK_FUNCTIONS = Set.of("PG_ADVISORY_LOCK", "PG_ADVISORY_LOCK_SHARED",
			"PG_TRY_ADVISORY_LOCK", "PG_TRY_ADVISORY_LOCK_SHARED", "PG_ADVISORY_UNLOCK", "PG_ADVISORY_UNLOCK_SHARED",
			"PG_ADVISORY_UNLOCK_ALL");

	private static final Set<String> PREPARED_STATEMENTS = Set.of("PREPARE", "EXECUTE", "DEALLOCATE");

	// SET forms that only touch the current transaction
	private static final Set<String> TRANSACTION_SCOPED_SET = Set.of("LOCAL", "TRANSACTION", "CONSTRAINTS");

	private static final String WHY = " outlives its transaction, but behind a transaction-pooling proxy the next "
			+ "transaction may run on another server session, and this one goes to other clients";

	private static final Verdict PASS = new Verdict(null);

	private final BoundedLruCache<String, Verdict> verdicts;

	/**
	 * Creates a check.
	 * @param cacheCapacity verdicts kept, {@code >= 1}
	 * @throws IllegalArgumentException when {@code cacheCapacity} is less than 1
	 */
	public SessionStateCheck(int cacheCapacity) {
		this.verdicts = new BoundedLruCache<>(cacheCapacity);
	}

	/**
	 * Checks a statement, using the cached verdict for its text when there is one.
	 * @param template the lexed statement
	 * @return the violation (rule {@link ValidationRule#SESSION_STATE}), or {@code null} when it keeps no session state
	 */
	public @Nullable Violation check(SqlTemplate template) {
		return this.verdicts.get(template.sql(), sql -> {
			Violation violation = find(StatementTokens.of(template.tokens()));
			return (violation != null) ? new Verdict(violation) : PASS;
		}).violation();
	}

	private static @Nullable Violation find(StatementTokens words) {
		int start = words.statementStart();
		if (start < 0) {
			return null;
		}
		String first = words.word(start);
		if ("LISTEN".equals(first) || "UNLISTEN".equals(first)) {
			return violation(words, start, first + ": the subscription" + WHY + "; listen on a direct connection "
					+ "(a node with pooler: none)");
		}
		if ("SET".equals(first) && !words.wordIn(start + 1, TRANSACTION_SCOPED_SET)) {
			return violation(words, start, "SET without LOCAL: the setting" + WHY + "; use SET LOCAL inside a "
					+ "transaction, or set it on the database role");
		}
		if ("RESET".equals(first)) {
			return violation(words, start, "RESET changes the session, whose setting" + WHY);
		}
		if (first != null && PREPARED_STATEMENTS.contains(first) && !words.isWord(start + 1, "TRANSACTION")) {
			return violation(words, start, first + ": a prepared statement" + WHY + "; bind parameters instead");
		}
		if ("DECLARE".equals(first) && holdsCursor(words, start)) {
			return violation(words, start, "DECLARE ... WITH HOLD: the cursor" + WHY + "; use a cursor without HOLD "
					+ "inside a transaction, or stream the rows");
		}
		if ("CREATE".equals(first) && createsKeptTemporaryTable(words, start)) {
			return violation(words, start, "a temporary table" + WHY + "; create it with ON COMMIT DROP inside the "
					+ "transaction that uses it");
		}
		for (int i = start; i < words.size(); i++) {
			String name = words.name(i);
			if (name == null || !words.isCall(i)) {
				continue;
			}
			if (SESSION_LOCK_FUNCTIONS.contains(name)) {
				return violation(words, i, "function " + name.toLowerCase(java.util.Locale.ROOT) + " takes a "
						+ "session-level advisory lock, which" + WHY + "; use pg_advisory_xact_lock inside a transaction");
			}
			if ("SET_CONFIG".equals(name) && !lastArgumentIsTrue(words, i + 1)) {
				return violation(words, i, "set_config(..., false) changes the session, whose setting" + WHY
						+ "; pass true as the third argument inside a transaction");
			}
		}
		return null;
	}

	private static boolean holdsCursor(StatementTokens words, int start) {
		for (int i = start + 1; i < words.size() && !words.isWord(i, "FOR"); i++) {
			if (words.isWord(i, "WITH") && words.isWord(i + 1, "HOLD")) {
				return true;
			}
		}
		return false;
	}

	// CREATE [GLOBAL | LOCAL] { TEMP | TEMPORARY } [UNLOGGED] TABLE ... without ON COMMIT DROP
	private static boolean createsKeptTemporaryTable(StatementTokens words, int start) {
		int i = start + 1;
		if (words.isWord(i, "GLOBAL") || words.isWord(i, "LOCAL")) {
			i++;
		}
		if (!words.isWord(i, "TEMP") && !words.isWord(i, "TEMPORARY")) {
			return false;
		}
		for (int j = i + 1; j < words.size(); j++) {
			if (words.isWord(j, "ON") && words.isWord(j + 1, "COMMIT") && words.isWord(j + 2, "DROP")) {
				return false;
			}
		}
		return true;
	}

	// set_config(name, value, is_local): only a literal TRUE as the last argument is known to be local
	private static boolean lastArgumentIsTrue(StatementTokens words, int open) {
		if (words.type(open) != TokenType.LEFT_PAREN) {
			return false;
		}
		int close = words.closingParen(open);
		return words.isWord(close - 1, "TRUE") && words.type(close - 2) == TokenType.COMMA;
	}

	private static Violation violation(StatementTokens words, int index, String detail) {
		return new Violation(ValidationRule.SESSION_STATE, words.get(index).start(), detail);
	}

	private record Verdict(@Nullable Violation violation) {
	}

}
