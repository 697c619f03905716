package io.asyncsql.core.validation;

import java.util.Locale;

/**
 * The validation rules. Each id is stable: it is {@code QueryValidationException.rule()} and the {@code rule} tag
 * of {@code asyncsql.validation.rejections}.
 */
public enum ValidationRule {

	/** More than one statement in one call (a single trailing {@code ;} is fine). */
	MULTIPLE_STATEMENTS(null),

	/** A string literal, quoted identifier or comment is never closed, so the statement cannot be checked. */
	UNTERMINATED_LITERAL(null),

	/** {@code BEGIN}, {@code COMMIT}, {@code SAVEPOINT}... inside {@code execute}; use the transaction API. */
	TRANSACTION_CONTROL(null),

	/** DDL or another administrative statement on a node without {@code allow-admin}. */
	ADMIN_STATEMENT("allow-admin: true"),

	/**
	 * A function, clause or statement that sleeps, reads or writes files on the server, runs programs, loads code or
	 * reaches other servers ({@code pg_sleep}, {@code COPY ... TO PROGRAM}, {@code INTO OUTFILE}...); never allowed,
	 * not even with {@code allow-admin}.
	 */
	DANGEROUS_FUNCTION(null),

	/**
	 * A statement that changes how the server reads SQL text: {@code SET}, {@code RESET} or {@code set_config} of
	 * {@code standard_conforming_strings}, {@code backslash_quote} or {@code client_encoding} (or {@code set_config}
	 * of a setting that is not a literal), an update of {@code pg_settings}; MySQL's {@code sql_mode} and client
	 * character sets; H2's {@code MODE}. The validator would no longer see literals where the server sees them, so
	 * it is never allowed, not even with {@code allow-admin}.
	 */
	LEXICAL_SETTING(null),

	/**
	 * A classic injection signature: a condition made only of constants after {@code OR}, such as {@code OR 1=1},
	 * {@code OR 'a'='a'} or {@code OR TRUE}.
	 */
	INJECTION_TAUTOLOGY(null),

	/** A keyword split by a comment ({@code DR/**}{@code /OP}), a common filter evasion. */
	OBFUSCATED_KEYWORD(null),

	/** The SQL text is longer than the node's {@code max-sql-length}. */
	SQL_TOO_LONG("a larger max-sql-length"),

	/**
	 * A NUL character (U+0000) in the SQL text: PostgreSQL's protocol cannot carry it, and no statement needs one
	 * (a value holding it is bound as a parameter). Checked on every node, validated or not.
	 */
	NUL_CHARACTER(null),

	/**
	 * On a node behind a transaction-pooling proxy ({@code pooler: transaction}), a statement whose effect outlives
	 * its transaction: {@code LISTEN}, session-level advisory locks, {@code SET} without {@code LOCAL}, prepared
	 * statements, {@code WITH HOLD} cursors, temporary tables kept past commit. Checked whether or not the node
	 * validates queries, since such a statement cannot work there.
	 */
	SESSION_STATE("pooler: none (a direct connection or a session-pooling proxy)");

	private final String id = name().toLowerCase(Locale.ROOT);

	private final String allowedBy;

	ValidationRule(String allowedBy) {
		this.allowedBy = allowedBy;
	}

	/** @return the stable id, for example {@code admin_statement} */
	public String id() {
		return this.id;
	}

	/** @return the setting that allows what this rule refuses, or {@code null} when nothing does */
	public String allowedBy() {
		return this.allowedBy;
	}

}
