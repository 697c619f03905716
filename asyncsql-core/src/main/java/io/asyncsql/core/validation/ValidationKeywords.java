package io.asyncsql.core.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The words a dialect's validator looks for. All upper case; matching ignores case.
 *
 * @param adminStatements first keywords of administrative statements (DDL, privileges, maintenance)
 * @param adminPhrases multi-word statement starts that are administrative, such as {@code SET ROLE}
 * @param transactionControl first keywords of transaction-control statements
 * @param transactionPhrases multi-word transaction-control starts, such as {@code SET TRANSACTION}
 * @param dangerousFunctions functions never allowed, matched by exact name
 * @param dangerousFunctionPrefixes functions never allowed, matched by prefix (for example {@code DBLINK})
 * @param dangerousPhrases word sequences never allowed anywhere, such as {@code INTO OUTFILE}
 * @param dangerousStatementWords words that make a statement of a given first keyword dangerous, such as
 * {@code PROGRAM} in {@code COPY}; each entry is {@code FIRST:WORD}
 */
public record ValidationKeywords(Set<String> adminStatements, List<List<String>> adminPhrases,
		Set<String> transactionControl, List<List<String>> transactionPhrases, Set<String> dangerousFunctions,
		Set<String> dangerousFunctionPrefixes, List<List<String>> dangerousPhrases,
		Set<String> dangerousStatementWords) {

	private static final Set<String> COMMON_ADMIN = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE",
			"COMMENT", "ANALYZE", "ANALYSE", "LOCK", "RENAME");

	/** PostgreSQL. */
	public static final ValidationKeywords POSTGRESQL = new ValidationKeywords(
			union(COMMON_ADMIN, Set.of("VACUUM", "REINDEX", "CLUSTER", "REFRESH", "COPY", "DO", "LOAD", "CHECKPOINT",
					"REASSIGN", "SECURITY", "IMPORT", "DISCARD")),
			List.of(List.of("SET", "ROLE"), List.of("SET", "SESSION", "AUTHORIZATION"), List.of("RESET", "ROLE"),
					List.of("RESET", "SESSION", "AUTHORIZATION"), List.of("SET", "LOCAL", "ROLE"),
					List.of("SET", "LOCAL", "SESSION", "AUTHORIZATION"), List.of("SET", "SESSION", "ROLE"),
					List.of("SECURITY", "LABEL"), List.of("IMPORT", "FOREIGN", "SCHEMA")),
			Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE"),
			List.of(List.of("SET", "TRANSACTION"), List.of("SET", "SESSION", "CHARACTERISTICS"),
					List.of("PREPARE", "TRANSACTION")),
			Set.of("PG_SLEEP", "PG_SLEEP_FOR", "PG_SLEEP_UNTIL", "PG_READ_FILE", "PG_READ_BINARY_FILE", "PG_LS_DIR",
					"PG_STAT_FILE", "LO_IMPORT", "LO_EXPORT", "PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND",
					"PG_RELOAD_CONF", "PG_ROTATE_LOGFILE", "PG_PROMOTE", "PG_LOGDIR_LS", "PG_LS_LOGDIR",
					"PG_LS_WALDIR", "PG_LS_TMPDIR", "PG_LS_ARCHIVE_STATUSDIR", "PG_FILE_WRITE", "PG_FILE_RENAME",
					"PG_FILE_UNLINK", "QUERY_TO_XML", "CURRENT_SETTING_FILE"),
			Set.of("DBLINK"),
			List.of(List.of("TO", "PROGRAM"), List.of("FROM", "PROGRAM")),
			Set.of("COPY:PROGRAM"));

	/** MySQL and MariaDB. */
	public static final ValidationKeywords MYSQL = new ValidationKeywords(
			union(COMMON_ADMIN, Set.of("OPTIMIZE", "REPAIR", "FLUSH", "KILL", "INSTALL", "UNINSTALL", "SHUTDOWN",
					"PURGE", "RESET", "CHANGE", "HANDLER", "CHECKSUM", "CACHE", "LOAD", "BINLOG", "RESTART", "CLONE",
					"IMPORT")),
			List.of(List.of("SET", "GLOBAL"), List.of("SET", "PERSIST"), List.of("SET", "PERSIST_ONLY"),
					List.of("SET", "PASSWORD"), List.of("SET", "ROLE"), List.of("SET", "DEFAULT", "ROLE"),
					List.of("SET", "@@GLOBAL")),
			Set.of("BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA"),
			List.of(List.of("SET", "TRANSACTION"), List.of("SET", "AUTOCOMMIT"), List.of("SET", "SESSION", "TRANSACTION")),
			Set.of("SLEEP", "BENCHMARK", "LOAD_FILE", "SYS_EXEC", "SYS_EVAL"),
			Set.of(),
			List.of(List.of("INTO", "OUTFILE"), List.of("INTO", "DUMPFILE"), List.of("LOAD", "DATA"),
					List.of("LOAD", "XML")),
			Set.of());

	/** H2. */
	public static final ValidationKeywords H2 = new ValidationKeywords(
			union(COMMON_ADMIN, Set.of("SCRIPT", "RUNSCRIPT", "BACKUP", "SHUTDOWN", "CHECKPOINT")),
			List.of(List.of("SET", "EXCLUSIVE"), List.of("SET", "PASSWORD"), List.of("SET", "SALT"),
					List.of("SET", "DATABASE_EVENT_LISTENER"), List.of("SET", "CLUSTER"), List.of("SET", "ALLOW_LITERALS"),
					List.of("SET", "ADMIN")),
			Set.of("BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"),
			List.of(List.of("SET", "AUTOCOMMIT"), List.of("SET", "TRANSACTION"), List.of("PREPARE", "COMMIT")),
			Set.of("SLEEP", "FILE_READ", "FILE_WRITE", "CSVREAD", "CSVWRITE", "LINK_SCHEMA", "SYSTEM_RANGE_SLEEP"),
			Set.of(),
			List.of(List.of("CREATE", "ALIAS"), List.of("CREATE", "TRIGGER")),
			Set.of());

	private static Set<String> union(Set<String> a, Set<String> b) {
		Set<String> union = new HashSet<>(a);
		union.addAll(b);
		return Set.copyOf(union);
	}

}
