package io.asyncsql.core.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The words a dialect's {@link QueryValidator} looks for. Immutable; build one with {@link #builder()} or use the
 * sets for {@link #POSTGRESQL}, {@link #MYSQL} (also MariaDB) and {@link #H2}. Words are kept in upper case and
 * matched ignoring case; a phrase is a sequence of words that must follow each other (comments between them do not
 * matter).
 */
public final class ValidationKeywords {

	private static final String[] COMMON_ADMIN = { "CREATE", "ALTER", "DROP", "TRUNCATE", "GRANT", "REVOKE", "COMMENT",
			"ANALYZE", "ANALYSE", "LOCK", "RENAME" };

	/** PostgreSQL. */
	public static final ValidationKeywords POSTGRESQL = builder()
		.adminStatements(COMMON_ADMIN)
		.adminStatements("VACUUM", "REINDEX", "CLUSTER", "REFRESH", "COPY", "DO", "LOAD", "CHECKPOINT", "REASSIGN",
				"SECURITY", "IMPORT", "DISCARD")
		.adminPhrases("SET ROLE", "SET SESSION ROLE", "SET LOCAL ROLE", "RESET ROLE", "SET SESSION AUTHORIZATION",
				"SET SESSION SESSION AUTHORIZATION", "SET LOCAL SESSION AUTHORIZATION", "RESET SESSION AUTHORIZATION")
		.selectIntoCreatesTable(true)
		.transactionStatements("BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE")
		.transactionPhrases("START TRANSACTION", "SET TRANSACTION", "SET SESSION CHARACTERISTICS",
				"PREPARE TRANSACTION")
		.dangerousFunctions("PG_READ_FILE", "PG_READ_BINARY_FILE", "PG_STAT_FILE", "LO_IMPORT", "LO_EXPORT",
				"PG_LOGDIR_LS", "PG_FILE_WRITE", "PG_FILE_RENAME", "PG_FILE_UNLINK", "PG_FILE_SYNC", "TS_STAT")
		.adminFunctions("PG_TERMINATE_BACKEND", "PG_CANCEL_BACKEND", "PG_RELOAD_CONF", "PG_ROTATE_LOGFILE",
				"PG_ROTATE_LOGFILE_OLD", "PG_PROMOTE", "PG_LOG_BACKEND_MEMORY_CONTEXTS", "PG_SWITCH_WAL",
				"PG_SWITCH_XLOG", "PG_START_BACKUP", "PG_STOP_BACKUP", "PG_BACKUP_START", "PG_BACKUP_STOP",
				"PG_DROP_REPLICATION_SLOT", "PG_REPLICATION_SLOT_ADVANCE", "PG_IMPORT_SYSTEM_COLLATIONS", "LO_UNLINK",
				"PG_STAT_STATEMENTS_RESET")
		.adminFunctionPrefixes("PG_STAT_RESET", "PG_CREATE_", "PG_COPY_", "PG_REPLICATION_ORIGIN_", "PG_LOGICAL_",
				"PG_WAL_REPLAY_", "PG_XLOG_REPLAY_")
		.lexicalSettings("STANDARD_CONFORMING_STRINGS", "BACKSLASH_QUOTE", "CLIENT_ENCODING", "NAMES")
		.settingFunctions("SET_CONFIG")
		.identitySettings("ROLE", "SESSION_AUTHORIZATION")
		.settingTables("PG_SETTINGS")
		.dangerousFunctionPrefixes("PG_SLEEP", "PG_LS_", "DBLINK", "QUERY_TO_XML")
		.untrustedLanguages("C", "INTERNAL", "PLPYTHONU", "PLPYTHON2U", "PLPYTHON3U", "PLPERLU", "PLTCLU")
		.fileStatements("COPY")
		.build();

	/** MySQL and MariaDB. */
	public static final ValidationKeywords MYSQL = builder()
		.adminStatements(COMMON_ADMIN)
		.adminStatements("OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM", "FLUSH", "KILL", "INSTALL", "UNINSTALL",
				"SHUTDOWN", "RESTART", "PURGE", "RESET", "CHANGE", "STOP", "UNLOCK", "HANDLER", "CACHE", "LOAD",
				"BINLOG", "CLONE", "IMPORT", "PREPARE", "EXECUTE", "DEALLOCATE", "USE")
		.adminPhrases("SET PASSWORD", "SET ROLE", "SET DEFAULT ROLE", "SET RESOURCE GROUP", "START SLAVE",
				"START REPLICA", "START GROUP_REPLICATION")
		.adminSetScopes("GLOBAL", "PERSIST", "PERSIST_ONLY")
		.transactionStatements("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA")
		.transactionPhrases("START TRANSACTION", "SET TRANSACTION", "SET SESSION TRANSACTION")
		.transactionSettings("AUTOCOMMIT")
		.dangerousFunctions("SLEEP", "BENCHMARK", "LOAD_FILE", "SYS_EXEC", "SYS_EVAL", "SYS_GET", "SYS_SET",
				"MASTER_POS_WAIT", "SOURCE_POS_WAIT", "MASTER_GTID_WAIT", "WAIT_FOR_EXECUTED_GTID_SET",
				"WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS")
		.lexicalSettings("SQL_MODE", "NAMES", "CHARACTER", "CHARSET", "CHARACTER_SET_CLIENT",
				"CHARACTER_SET_CONNECTION")
		// single-byte or UTF-8 character sets, and SQL modes that keep backslash escapes and "..." strings
		.safeLexicalValues("", "UTF8", "UTF8MB3", "UTF8MB4", "LATIN1", "ASCII", "STRICT_TRANS_TABLES",
				"STRICT_ALL_TABLES", "NO_ZERO_DATE", "NO_ZERO_IN_DATE", "ERROR_FOR_DIVISION_BY_ZERO",
				"NO_ENGINE_SUBSTITUTION", "ONLY_FULL_GROUP_BY", "NO_AUTO_VALUE_ON_ZERO", "TRADITIONAL",
				"PIPES_AS_CONCAT", "IGNORE_SPACE", "HIGH_NOT_PRECEDENCE", "NO_UNSIGNED_SUBTRACTION",
				"PAD_CHAR_TO_FULL_LENGTH", "REAL_AS_FLOAT", "ALLOW_INVALID_DATES", "NO_AUTO_CREATE_USER",
				"SIMULTANEOUS_ASSIGNMENT", "TIME_ROUND_FRACTIONAL", "EMPTY_STRING_IS_NULL", "NO_DIR_IN_CREATE")
		.dangerousStatements("LOAD DATA", "LOAD XML")
		.dangerousPhrases("INTO OUTFILE", "INTO DUMPFILE", "SONAME")
		.orOperators("||")
		.build();

	/** H2. */
	public static final ValidationKeywords H2 = builder()
		.adminStatements(COMMON_ADMIN)
		.adminStatements("SCRIPT", "RUNSCRIPT", "BACKUP", "SHUTDOWN", "CHECKPOINT")
		.adminPhrases("SET EXCLUSIVE", "SET PASSWORD", "SET SALT", "SET CLUSTER", "SET ALLOW_LITERALS",
				"SET DB_CLOSE_DELAY", "SET WRITE_DELAY", "SET CACHE_SIZE", "SET MAX_LOG_SIZE", "SET MAX_MEMORY_ROWS",
				"SET MAX_MEMORY_UNDO", "SET MAX_OPERATION_MEMORY", "SET THROTTLE", "SET TRACE_LEVEL_FILE",
				"SET TRACE_LEVEL_SYSTEM_OUT", "SET TRACE_MAX_FILE_SIZE", "SET REFERENTIAL_INTEGRITY",
				"SET RETENTION_TIME", "SET COMPRESS_LOB", "SET DEFAULT_TABLE_TYPE", "SET IGNORECASE", "SET CREATE_BUILD",
				"SET LOG")
		.transactionStatements("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
		.transactionPhrases("START TRANSACTION", "SET AUTOCOMMIT", "SET SESSION CHARACTERISTICS", "PREPARE COMMIT")
		.dangerousFunctions("FILE_READ", "FILE_WRITE", "CSVREAD", "CSVWRITE", "LINK_SCHEMA")
		.adminFunctions("CANCEL_SESSION", "ABORT_SESSION")
		.lexicalSettings("MODE")
		.dangerousStatements("CREATE ALIAS", "CREATE FORCE ALIAS", "CREATE TRIGGER", "CREATE FORCE TRIGGER",
				"SET DATABASE_EVENT_LISTENER", "SET JAVA_OBJECT_SERIALIZER")
		.dangerousPhrases("LINKED TABLE")
		.fileStatements("SCRIPT", "BACKUP", "RUNSCRIPT")
		.build();

	private final Set<String> adminStatements;

	private final List<List<String>> adminPhrases;

	private final Set<String> adminSetScopes;

	private final boolean selectIntoCreatesTable;

	private final Set<String> transactionStatements;

	private final List<List<String>> transactionPhrases;

	private final Set<String> transactionSettings;

	private final Set<String> dangerousFunctions;

	private final Set<String> dangerousFunctionPrefixes;

	private final List<List<String>> dangerousStatements;

	private final List<List<String>> dangerousPhrases;

	private final Set<String> untrustedLanguages;

	private final Set<String> fileStatements;

	private final Set<String> orOperators;

	private final Set<String> adminFunctions;

	private final Set<String> adminFunctionPrefixes;

	private final Set<String> lexicalSettings;

	private final Set<String> settingFunctions;

	private final Set<String> identitySettings;

	private final Set<String> settingTables;

	private final Set<String> safeLexicalValues;

	private ValidationKeywords(Builder builder) {
		this.adminStatements = Set.copyOf(builder.adminStatements);
		this.adminPhrases = List.copyOf(builder.adminPhrases);
		this.adminSetScopes = Set.copyOf(builder.adminSetScopes);
		this.selectIntoCreatesTable = builder.selectIntoCreatesTable;
		this.transactionStatements = Set.copyOf(builder.transactionStatements);
		this.transactionPhrases = List.copyOf(builder.transactionPhrases);
		this.transactionSettings = Set.copyOf(builder.transactionSettings);
		this.dangerousFunctions = Set.copyOf(builder.dangerousFunctions);
		this.dangerousFunctionPrefixes = Set.copyOf(builder.dangerousFunctionPrefixes);
		this.dangerousStatements = List.copyOf(builder.dangerousStatements);
		this.dangerousPhrases = List.copyOf(builder.dangerousPhrases);
		this.untrustedLanguages = Set.copyOf(builder.untrustedLanguages);
		this.fileStatements = Set.copyOf(builder.fileStatements);
		this.orOperators = Set.copyOf(builder.orOperators);
		this.adminFunctions = Set.copyOf(builder.adminFunctions);
		this.adminFunctionPrefixes = Set.copyOf(builder.adminFunctionPrefixes);
		this.lexicalSettings = Set.copyOf(builder.lexicalSettings);
		this.settingFunctions = Set.copyOf(builder.settingFunctions);
		this.identitySettings = Set.copyOf(builder.identitySettings);
		this.settingTables = Set.copyOf(builder.settingTables);
		this.safeLexicalValues = Set.copyOf(builder.safeLexicalValues);
	}

	/**
	 * Starts an empty set of keywords.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** @return first keywords of administrative statements (DDL, privileges, maintenance), such as {@code DROP} */
	public Set<String> adminStatements() {
		return this.adminStatements;
	}

	/** @return statement starts that are administrative, such as {@code SET ROLE} */
	public List<List<String>> adminPhrases() {
		return this.adminPhrases;
	}

	/**
	 * Scopes that make an assignment of a {@code SET} statement administrative because it changes the server for
	 * every session, such as MySQL's {@code GLOBAL} ({@code SET GLOBAL x = 1}, {@code SET @@GLOBAL.x = 1}, also
	 * after a comma: {@code SET a = 1, GLOBAL b = 2}).
	 * @return the scopes; empty where {@code SET} has no such scopes
	 */
	public Set<String> adminSetScopes() {
		return this.adminSetScopes;
	}

	/**
	 * Whether {@code SELECT ... INTO name} creates a table (PostgreSQL), which makes it administrative.
	 * @return {@code true} for PostgreSQL
	 */
	public boolean selectIntoCreatesTable() {
		return this.selectIntoCreatesTable;
	}

	/** @return first keywords of transaction-control statements, such as {@code COMMIT} */
	public Set<String> transactionControl() {
		return this.transactionStatements;
	}

	/** @return transaction-control statement starts, such as {@code SET TRANSACTION} */
	public List<List<String>> transactionPhrases() {
		return this.transactionPhrases;
	}

	/**
	 * Settings whose assignment in a {@code SET} statement controls transactions, such as MySQL's
	 * {@code autocommit} (in any scope: {@code SET autocommit = 0}, {@code SET @@session.autocommit = 0}).
	 * @return the settings; empty where {@code SET} assigns no such setting
	 */
	public Set<String> transactionSettings() {
		return this.transactionSettings;
	}

	/** @return functions that are never allowed, by exact name */
	public Set<String> dangerousFunctions() {
		return this.dangerousFunctions;
	}

	/** @return functions that are never allowed, by prefix, such as {@code PG_SLEEP} or {@code DBLINK} */
	public Set<String> dangerousFunctionPrefixes() {
		return this.dangerousFunctionPrefixes;
	}

	/**
	 * Statement starts that are never allowed, such as MySQL's {@code LOAD DATA} or H2's {@code CREATE ALIAS}
	 * (which compiles Java code).
	 * @return the phrases
	 */
	public List<List<String>> dangerousStatements() {
		return this.dangerousStatements;
	}

	/** @return phrases never allowed anywhere in a statement, such as {@code INTO OUTFILE} */
	public List<List<String>> dangerousPhrases() {
		return this.dangerousPhrases;
	}

	/**
	 * Procedural languages that run code outside the database's control ({@code C}, {@code plpython3u}...), never
	 * allowed after {@code LANGUAGE} in a {@code CREATE} or {@code DO} statement.
	 * @return the language names
	 */
	public Set<String> untrustedLanguages() {
		return this.untrustedLanguages;
	}

	/**
	 * Statements that read or write a file on the database server, or run a program there, when their {@code TO}
	 * or {@code FROM} clause names one ({@code PROGRAM}, a literal or a parameter rather than a keyword such as
	 * {@code STDIN}), such as PostgreSQL's {@code COPY}; such a statement is never allowed.
	 * @return the first keywords of such statements
	 */
	public Set<String> fileStatements() {
		return this.fileStatements;
	}

	/** @return operators that mean {@code OR}, such as MySQL's {@code ||} */
	public Set<String> orOperators() {
		return this.orOperators;
	}

	/**
	 * Functions that administer the server or change the session's identity, by exact name, such as
	 * {@code pg_terminate_backend} or {@code pg_stat_reset}: allowed only with {@code allow-admin}.
	 * @return the function names
	 */
	public Set<String> adminFunctions() {
		return this.adminFunctions;
	}

	/** @return administrative functions by prefix, such as {@code PG_STAT_RESET} or {@code PG_REPLICATION_ORIGIN_} */
	public Set<String> adminFunctionPrefixes() {
		return this.adminFunctionPrefixes;
	}

	/**
	 * Settings that change how the server reads SQL text ({@code standard_conforming_strings}, MySQL's
	 * {@code sql_mode}, a client character set, H2's {@code MODE}): the validator could no longer see literals where
	 * the server sees them, so setting one ({@code SET}, {@code RESET}, a setting function, an update of a setting
	 * table) is never allowed, not even with {@code allow-admin}.
	 * @return the setting names
	 */
	public Set<String> lexicalSettings() {
		return this.lexicalSettings;
	}

	/**
	 * Functions whose first argument names a setting they change, such as PostgreSQL's {@code set_config}. A call
	 * whose setting is not a literal is read as one that changes a {@linkplain #lexicalSettings() lexical setting}.
	 * @return the function names
	 */
	public Set<String> settingFunctions() {
		return this.settingFunctions;
	}

	/**
	 * Settings that change who the session is, such as PostgreSQL's {@code role}: changing one through a
	 * {@linkplain #settingFunctions() setting function} is administrative, like {@code SET ROLE}.
	 * @return the setting names
	 */
	public Set<String> identitySettings() {
		return this.identitySettings;
	}

	/**
	 * Tables whose update changes settings, such as PostgreSQL's {@code pg_settings}; updating one is never allowed.
	 * @return the table names
	 */
	public Set<String> settingTables() {
		return this.settingTables;
	}

	/**
	 * Values a {@code SET} of a {@linkplain #lexicalSettings() lexical setting} may give, because with them the
	 * server reads SQL text as the validator does: a UTF-8 or single-byte character set, MySQL SQL modes other than
	 * {@code ANSI_QUOTES}, {@code NO_BACKSLASH_ESCAPES} and the modes that include them. A value is a literal or a
	 * word; a literal may list several, each of which must be safe. Empty where no value is safe.
	 * @return the values, upper case
	 */
	public Set<String> safeLexicalValues() {
		return this.safeLexicalValues;
	}

	/**
	 * Whether a function name (upper case) is one of the administrative functions.
	 * @param name the function name in upper case
	 * @return {@code true} when calling it needs {@code allow-admin}
	 */
	public boolean isAdminFunction(String name) {
		return this.adminFunctions.contains(name) || hasPrefix(name, this.adminFunctionPrefixes);
	}

	private static boolean hasPrefix(String name, Set<String> prefixes) {
		for (String prefix : prefixes) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a function name (upper case) is one of the dangerous functions.
	 * @param name the function name in upper case
	 * @return {@code true} when calling it is never allowed
	 */
	public boolean isDangerousFunction(String name) {
		return this.dangerousFunctions.contains(name) || hasPrefix(name, this.dangerousFunctionPrefixes);
	}

	/**
	 * Collects keywords. Every method adds to what was given before; words are upper-cased, phrases are split at
	 * spaces.
	 */
	public static final class Builder {

		private final Set<String> adminStatements = new LinkedHashSet<>();

		private final List<List<String>> adminPhrases = new ArrayList<>();

		private final Set<String> adminSetScopes = new LinkedHashSet<>();

		private boolean selectIntoCreatesTable;

		private final Set<String> transactionStatements = new LinkedHashSet<>();

		private final List<List<String>> transactionPhrases = new ArrayList<>();

		private final Set<String> transactionSettings = new LinkedHashSet<>();

		private final Set<String> dangerousFunctions = new LinkedHashSet<>();

		private final Set<String> dangerousFunctionPrefixes = new LinkedHashSet<>();

		private final List<List<String>> dangerousStatements = new ArrayList<>();

		private final List<List<String>> dangerousPhrases = new ArrayList<>();

		private final Set<String> untrustedLanguages = new LinkedHashSet<>();

		private final Set<String> fileStatements = new LinkedHashSet<>();

		private final Set<String> orOperators = new LinkedHashSet<>();

		private final Set<String> adminFunctions = new LinkedHashSet<>();

		private final Set<String> adminFunctionPrefixes = new LinkedHashSet<>();

		private final Set<String> lexicalSettings = new LinkedHashSet<>();

		private final Set<String> settingFunctions = new LinkedHashSet<>();

		private final Set<String> identitySettings = new LinkedHashSet<>();

		private final Set<String> settingTables = new LinkedHashSet<>();

		private final Set<String> safeLexicalValues = new LinkedHashSet<>();

		private Builder() {
		}

		/**
		 * Adds first keywords of administrative statements.
		 * @param keywords the keywords
		 * @return this builder
		 * @see ValidationKeywords#adminStatements()
		 */
		public Builder adminStatements(String... keywords) {
			return words(this.adminStatements, keywords);
		}

		/**
		 * Adds administrative statement starts.
		 * @param phrases phrases such as {@code "SET ROLE"}
		 * @return this builder
		 * @see ValidationKeywords#adminPhrases()
		 */
		public Builder adminPhrases(String... phrases) {
			return phrases(this.adminPhrases, phrases);
		}

		/**
		 * Adds {@code SET} scopes that change the server for every session.
		 * @param scopes scopes such as {@code "GLOBAL"}
		 * @return this builder
		 * @see ValidationKeywords#adminSetScopes()
		 */
		public Builder adminSetScopes(String... scopes) {
			return words(this.adminSetScopes, scopes);
		}

		/**
		 * Sets whether {@code SELECT ... INTO name} creates a table. Default {@code false}.
		 * @param createsTable whether it does
		 * @return this builder
		 */
		public Builder selectIntoCreatesTable(boolean createsTable) {
			this.selectIntoCreatesTable = createsTable;
			return this;
		}

		/**
		 * Adds first keywords of transaction-control statements.
		 * @param keywords the keywords
		 * @return this builder
		 * @see ValidationKeywords#transactionControl()
		 */
		public Builder transactionStatements(String... keywords) {
			return words(this.transactionStatements, keywords);
		}

		/**
		 * Adds transaction-control statement starts.
		 * @param phrases phrases such as {@code "SET TRANSACTION"}
		 * @return this builder
		 * @see ValidationKeywords#transactionPhrases()
		 */
		public Builder transactionPhrases(String... phrases) {
			return phrases(this.transactionPhrases, phrases);
		}

		/**
		 * Adds settings whose assignment controls transactions.
		 * @param settings settings such as {@code "AUTOCOMMIT"}
		 * @return this builder
		 * @see ValidationKeywords#transactionSettings()
		 */
		public Builder transactionSettings(String... settings) {
			return words(this.transactionSettings, settings);
		}

		/**
		 * Adds functions that are never allowed, by exact name.
		 * @param names the function names
		 * @return this builder
		 */
		public Builder dangerousFunctions(String... names) {
			return words(this.dangerousFunctions, names);
		}

		/**
		 * Adds functions that are never allowed, by prefix.
		 * @param prefixes the name prefixes
		 * @return this builder
		 */
		public Builder dangerousFunctionPrefixes(String... prefixes) {
			return words(this.dangerousFunctionPrefixes, prefixes);
		}

		/**
		 * Adds statement starts that are never allowed.
		 * @param phrases phrases such as {@code "LOAD DATA"}
		 * @return this builder
		 * @see ValidationKeywords#dangerousStatements()
		 */
		public Builder dangerousStatements(String... phrases) {
			return phrases(this.dangerousStatements, phrases);
		}

		/**
		 * Adds procedural languages that are never allowed.
		 * @param languages language names such as {@code "C"}
		 * @return this builder
		 * @see ValidationKeywords#untrustedLanguages()
		 */
		public Builder untrustedLanguages(String... languages) {
			return words(this.untrustedLanguages, languages);
		}

		/**
		 * Adds phrases that are never allowed anywhere.
		 * @param phrases phrases such as {@code "INTO OUTFILE"}
		 * @return this builder
		 */
		public Builder dangerousPhrases(String... phrases) {
			return phrases(this.dangerousPhrases, phrases);
		}

		/**
		 * Adds statements that reach server files or programs through a {@code TO} or {@code FROM} clause.
		 * @param keywords first keywords such as {@code "COPY"}
		 * @return this builder
		 * @see ValidationKeywords#fileStatements()
		 */
		public Builder fileStatements(String... keywords) {
			return words(this.fileStatements, keywords);
		}

		/**
		 * Adds operators that mean {@code OR}.
		 * @param operators operators such as {@code "||"}
		 * @return this builder
		 */
		public Builder orOperators(String... operators) {
			this.orOperators.addAll(Arrays.asList(operators));
			return this;
		}

		/**
		 * Adds administrative functions, by exact name.
		 * @param names the function names
		 * @return this builder
		 * @see ValidationKeywords#adminFunctions()
		 */
		public Builder adminFunctions(String... names) {
			return words(this.adminFunctions, names);
		}

		/**
		 * Adds administrative functions, by prefix.
		 * @param prefixes the name prefixes
		 * @return this builder
		 * @see ValidationKeywords#adminFunctionPrefixes()
		 */
		public Builder adminFunctionPrefixes(String... prefixes) {
			return words(this.adminFunctionPrefixes, prefixes);
		}

		/**
		 * Adds settings that change how the server reads SQL text.
		 * @param settings setting names such as {@code "STANDARD_CONFORMING_STRINGS"}
		 * @return this builder
		 * @see ValidationKeywords#lexicalSettings()
		 */
		public Builder lexicalSettings(String... settings) {
			return words(this.lexicalSettings, settings);
		}

		/**
		 * Adds functions whose first argument names the setting they change.
		 * @param names function names such as {@code "SET_CONFIG"}
		 * @return this builder
		 * @see ValidationKeywords#settingFunctions()
		 */
		public Builder settingFunctions(String... names) {
			return words(this.settingFunctions, names);
		}

		/**
		 * Adds settings that change who the session is.
		 * @param settings setting names such as {@code "ROLE"}
		 * @return this builder
		 * @see ValidationKeywords#identitySettings()
		 */
		public Builder identitySettings(String... settings) {
			return words(this.identitySettings, settings);
		}

		/**
		 * Adds tables whose update changes settings.
		 * @param tables table names such as {@code "PG_SETTINGS"}
		 * @return this builder
		 * @see ValidationKeywords#settingTables()
		 */
		public Builder settingTables(String... tables) {
			return words(this.settingTables, tables);
		}

		/**
		 * Adds values a lexical setting may be given.
		 * @param values values such as {@code "UTF8MB4"}
		 * @return this builder
		 * @see ValidationKeywords#safeLexicalValues()
		 */
		public Builder safeLexicalValues(String... values) {
			return words(this.safeLexicalValues, values);
		}

		/** @return the keywords */
		public ValidationKeywords build() {
			return new ValidationKeywords(this);
		}

		private Builder words(Set<String> target, String... words) {
			for (String word : words) {
				target.add(word.toUpperCase(Locale.ROOT));
			}
			return this;
		}

		private Builder phrases(List<List<String>> target, String... phrases) {
			for (String phrase : phrases) {
				target.add(List.of(phrase.toUpperCase(Locale.ROOT).trim().split("\\s+")));
			}
			return this;
		}

	}

}
