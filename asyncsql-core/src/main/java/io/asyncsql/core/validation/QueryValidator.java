package io.asyncsql.core.validation;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntPredicate;

import io.asyncsql.core.cache.BoundedLruCache;
import io.asyncsql.core.sql.PostgresLiteral;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.StatementShape;
import io.asyncsql.core.sql.TokenType;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a statement may be sent, on its lexed tokens only: what a string literal or a comment says never
 * counts, so {@code status = 'sleep'}, {@code 'a--b'} and {@code UNION ALL} pass while {@code DROP},
 * {@code pg_sleep(5)} and {@code OR 1=1} do not. Verdicts are cached by SQL text, one cache per {@code allow-admin}
 * setting. Thread-safe; {@link #validate} and {@link #check} never throw for any SQL text.
 * <p>
 * The rules, in the order they are checked (the first that applies decides, see {@link ValidationRule}):
 * <ol>
 * <li>{@link ValidationRule#UNTERMINATED_LITERAL}: a literal, quoted identifier or comment is never closed;</li>
 * <li>{@link ValidationRule#MULTIPLE_STATEMENTS}: more than one statement (a trailing {@code ;} is fine); when the
 * first statement is transaction control, {@link ValidationRule#TRANSACTION_CONTROL} is reported instead;</li>
 * <li>{@link ValidationRule#DANGEROUS_FUNCTION}: functions and clauses that sleep, read or write server files, run
 * programs or reach other servers, even with {@code allow-admin};</li>
 * <li>{@link ValidationRule#LEXICAL_SETTING}: a change of a setting that decides how the server reads SQL text
 * ({@code standard_conforming_strings}, {@code sql_mode}...), even with {@code allow-admin};</li>
 * <li>{@link ValidationRule#TRANSACTION_CONTROL}: {@code BEGIN}, {@code COMMIT}, {@code SAVEPOINT}...;</li>
 * <li>{@link ValidationRule#ADMIN_STATEMENT}: DDL, privileges, maintenance, session identity, also behind
 * {@code EXPLAIN ANALYZE} and PostgreSQL's table-creating {@code SELECT ... INTO}, and calls of server-administration
 * and identity functions ({@code pg_terminate_backend}, {@code set_config('role', ...)}), unless
 * {@code allow-admin};</li>
 * <li>{@link ValidationRule#INJECTION_TAUTOLOGY}: a condition of constants after {@code OR};</li>
 * <li>{@link ValidationRule#OBFUSCATED_KEYWORD}: a keyword split by a comment ({@code DR/**}{@code /OP}).</li>
 * </ol>
 * A statement's kind is read after leading comments, empty statements and parentheses, so none of them hides an
 * administrative statement.
 */
public final class QueryValidator {

	/** Default number of verdicts kept per {@code allow-admin} setting. */
	public static final int DEFAULT_CACHE_CAPACITY = 4096;

	private static final Verdict PASS = new Verdict(null);

	// keywords worth hiding from a filter by splitting them with a comment
	private static final Set<String> STATEMENT_WORDS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE",
			"UNION", "WHERE", "FROM", "INTO", "VALUES", "TABLE", "JOIN", "OR", "AND", "EXEC", "EXECUTE", "DECLARE",
			"PROGRAM", "OUTFILE", "DUMPFILE");

	private static final Set<String> SET_SCOPES = Set.of("GLOBAL", "SESSION", "LOCAL", "PERSIST", "PERSIST_ONLY");

	private final ValidationKeywords keywords;

	private final BoundedLruCache<String, Verdict> verdicts;

	private final BoundedLruCache<String, Verdict> adminVerdicts;

	/**
	 * Creates a validator.
	 * @param keywords the dialect's keyword sets
	 * @param cacheCapacity verdicts kept per {@code allow-admin} setting, {@code >= 1}
	 * @throws IllegalArgumentException when {@code cacheCapacity} is less than 1
	 */
	public QueryValidator(ValidationKeywords keywords, int cacheCapacity) {
		this.keywords = keywords;
		this.verdicts = new BoundedLruCache<>(cacheCapacity);
		this.adminVerdicts = new BoundedLruCache<>(cacheCapacity);
	}

	/** @return the keyword sets this validator uses */
	public ValidationKeywords keywords() {
		return this.keywords;
	}

	/**
	 * Validates a statement, using the cached verdict for its text when there is one. A cached verdict is the very
	 * same {@link Violation} instance (or {@code null}) every time.
	 * @param template the lexed statement
	 * @param allowAdmin whether administrative statements are allowed
	 * @return the violation, or {@code null} when the statement may run
	 */
	public @Nullable Violation validate(SqlTemplate template, boolean allowAdmin) {
		BoundedLruCache<String, Verdict> cache = allowAdmin ? this.adminVerdicts : this.verdicts;
		return cache.get(template.sql(), sql -> {
			Violation violation = check(template, allowAdmin);
			return (violation != null) ? new Verdict(violation) : PASS;
		}).violation();
	}

	/**
	 * Validates a statement without the cache.
	 * @param template the lexed statement
	 * @param allowAdmin whether administrative statements are allowed
	 * @return the violation, or {@code null} when the statement may run
	 */
	public @Nullable Violation check(SqlTemplate template, boolean allowAdmin) {
		List<SqlToken> tokens = template.tokens();
		if (template.unterminated()) {
			return new Violation(ValidationRule.UNTERMINATED_LITERAL, tokens.get(tokens.size() - 1).start(),
					"a string literal, quoted identifier or comment is never closed");
		}
		StatementTokens words = StatementTokens.of(tokens);
		int start = words.statementStart();
		if (start < 0) {
			return null;
		}
		if (template.statementCount() > 1) {
			if (isTransactionControl(words, start)) {
				return transactionControl(words, start);
			}
			SqlToken second = secondStatement(words);
			return new Violation(ValidationRule.MULTIPLE_STATEMENTS, second.start(),
					"more than one statement (the second starts with " + describe(second) + ")");
		}
		Violation dangerous = findDangerous(words, start);
		if (dangerous != null) {
			return dangerous;
		}
		Violation lexical = findLexicalSetting(words, start);
		if (lexical != null) {
			return lexical;
		}
		if (isTransactionControl(words, start)) {
			return transactionControl(words, start);
		}
		if (!allowAdmin) {
			Violation admin = findAdmin(words, start);
			if (admin != null) {
				return admin;
			}
		}
		int or = ConstantCondition.find(words, this.keywords.orOperators());
		if (or >= 0) {
			return new Violation(ValidationRule.INJECTION_TAUTOLOGY, words.get(or).start(),
					"a condition made only of constants after " + words.get(or).text().toUpperCase(Locale.ROOT)
							+ " (such as OR 1=1), a classic injection signature");
		}
		return findSplitKeyword(tokens);
	}

	// ------------------------------------------------------------------ multiple statements

	private static SqlToken secondStatement(StatementTokens words) {
		boolean content = false;
		boolean afterSemicolon = false;
		for (SqlToken token : words.list()) {
			if (token.type() == TokenType.SEMICOLON) {
				afterSemicolon = content;
			}
			else if (afterSemicolon) {
				return token;
			}
			else {
				content = true;
			}
		}
		return words.get(words.size() - 1);
	}

	// ------------------------------------------------------------------ transaction control

	private boolean isTransactionControl(StatementTokens words, int start) {
		String keyword = words.word(start);
		return keyword != null && (this.keywords.transactionControl().contains(keyword)
				|| words.firstPhraseAt(start, this.keywords.transactionPhrases()) != null
				|| setAssignment(words, start, true) >= 0);
	}

	private static Violation transactionControl(StatementTokens words, int start) {
		return new Violation(ValidationRule.TRANSACTION_CONTROL, words.get(start).start(), "transaction control "
				+ words.word(start) + "; use beginTransaction() or inTransaction() instead");
	}

	// ------------------------------------------------------------------ dangerous functions and clauses

	private @Nullable Violation findDangerous(StatementTokens words, int start) {
		List<String> statementPhrase = words.firstPhraseAt(start, this.keywords.dangerousStatements());
		if (statementPhrase != null) {
			return new Violation(ValidationRule.DANGEROUS_FUNCTION, words.get(start).start(),
					"statement " + String.join(" ", statementPhrase));
		}
		String statement = words.word(start);
		boolean definition = "CREATE".equals(statement) || "DO".equals(statement);
		for (int i = 0; i < words.size(); i++) {
			String name = words.name(i);
			if (name == null) {
				continue;
			}
			if (words.isCall(i) && this.keywords.isDangerousFunction(name)) {
				return new Violation(ValidationRule.DANGEROUS_FUNCTION, words.get(i).start(),
						"function " + name.toLowerCase(Locale.ROOT));
			}
			List<String> phrase = words.firstPhraseAt(i, this.keywords.dangerousPhrases());
			if (phrase != null) {
				return new Violation(ValidationRule.DANGEROUS_FUNCTION, words.get(i).start(), String.join(" ", phrase));
			}
			if (definition && "LANGUAGE".equals(name)
					&& words.nameIn(i + 1, this.keywords.untrustedLanguages())) {
				return new Violation(ValidationRule.DANGEROUS_FUNCTION, words.get(i).start(),
						"LANGUAGE " + words.name(i + 1) + ", which runs code outside the database's control");
			}
		}
		if (statement != null && this.keywords.fileStatements().contains(statement)) {
			int clause = serverFileClause(words, start);
			if (clause >= 0) {
				String target = words.isWord(clause + 1, "PROGRAM") ? "a program" : "a file";
				return new Violation(ValidationRule.DANGEROUS_FUNCTION, words.get(clause).start(),
						statement + " " + words.word(clause) + " " + target + " on the database server");
			}
		}
		return null;
	}

	// TO or FROM, outside parentheses, followed by PROGRAM or a file name (a literal or a parameter) rather than a
	// keyword such as STDIN
	private static int serverFileClause(StatementTokens words, int start) {
		int depth = 0;
		for (int i = start + 1; i < words.size(); i++) {
			TokenType type = words.type(i);
			if (type == TokenType.LEFT_PAREN) {
				depth++;
			}
			else if (type == TokenType.RIGHT_PAREN) {
				depth--;
			}
			else if (depth == 0 && (words.isWord(i, "TO") || words.isWord(i, "FROM"))) {
				TokenType target = words.type(i + 1);
				if (words.isWord(i + 1, "PROGRAM") || target == TokenType.STRING
						|| target == TokenType.NAMED_PARAMETER || target == TokenType.POSITIONAL_PARAMETER) {
					return i;
				}
			}
		}
		return -1;
	}

	// ------------------------------------------------------------------ settings that change how SQL is read

	private @Nullable Violation findLexicalSetting(StatementTokens words, int start) {
		Set<String> settings = this.keywords.lexicalSettings();
		if (settings.isEmpty()) {
			return null;
		}
		if (words.isWord(start, "SET") || words.isWord(start, "RESET")) {
			int assignment = assignmentOf(words, start, settings);
			if (assignment >= 0) {
				return lexical(words, assignment, words.word(start) + " " + settingAt(words, assignment).toLowerCase(Locale.ROOT));
			}
		}
		for (int i = start; i < words.size(); i++) {
			String name = words.name(i);
			if (name == null) {
				continue;
			}
			if (words.isCall(i) && this.keywords.settingFunctions().contains(name)) {
				String setting = settingArgument(words, i);
				if (setting == null || settings.contains(setting)) {
					// the setting is named by a literal: its text stays out of the message
					return lexical(words, i, name.toLowerCase(Locale.ROOT) + " of " + ((setting != null)
							? "a setting" : "a setting that is not named by a literal"));
				}
			}
			if (words.isWord(i, "UPDATE") && updatesSettingTable(words, i + 1)) {
				return lexical(words, i, "an update of a table of server settings");
			}
		}
		return null;
	}

	private static Violation lexical(StatementTokens words, int index, String what) {
		return new Violation(ValidationRule.LEXICAL_SETTING, words.get(index).start(), what
				+ ", which changes how the server reads SQL text (the validator could no longer see literals where the "
				+ "server sees them)");
	}

	// the setting a setting function's first argument names, upper case, when that argument is a single literal
	private static @Nullable String settingArgument(StatementTokens words, int call) {
		int open = call + 1;
		if (words.isWord(open, "UESCAPE")) {
			open += 2;
		}
		if (words.type(open + 1) != TokenType.STRING) {
			return null;
		}
		PostgresLiteral literal = PostgresLiteral.read(words.list(), open + 1);
		if (literal == null || literal.value() == null || words.type(literal.lastToken() + 1) != TokenType.COMMA) {
			return null;
		}
		return literal.value().trim().toUpperCase(Locale.ROOT);
	}

	private boolean updatesSettingTable(StatementTokens words, int target) {
		int table = words.isWord(target, "ONLY") ? target + 1 : target;
		if (words.type(table + 1) == TokenType.PUNCTUATION && ".".equals(words.get(table + 1).text())) {
			table += 2;
		}
		return words.nameIn(table, this.keywords.settingTables());
	}

	// in a SET or RESET statement, where the first assignment of a lexical setting to a value not known safe starts
	private int assignmentOf(StatementTokens words, int start, Set<String> settings) {
		boolean set = words.isWord(start, "SET");
		return firstAssignment(words, start,
				i -> settings.contains(settingAt(words, i)) && !(set && safeValue(words, i)));
	}

	/*
	 * Where the first assignment of a SET or RESET statement that matches starts: assignments start after the
	 * keyword and after each comma outside parentheses, and MariaDB's SET STATEMENT a = 1, b = 2 FOR ... lists its
	 * own. Returns -1 when none matches.
	 */
	private static int firstAssignment(StatementTokens words, int start, IntPredicate matches) {
		int depth = 0;
		boolean assignmentStart = true;
		for (int i = start + 1; i < words.size(); i++) {
			TokenType type = words.type(i);
			if (assignmentStart) {
				assignmentStart = false;
				if (matches.test(i)) {
					return i;
				}
				if (words.isWord(i, "STATEMENT")) {
					assignmentStart = true;
					continue;
				}
			}
			if (type == TokenType.LEFT_PAREN) {
				depth++;
			}
			else if (type == TokenType.RIGHT_PAREN) {
				depth--;
			}
			else if (type == TokenType.COMMA && depth == 0) {
				assignmentStart = true;
			}
		}
		return -1;
	}

	// the value assigned after "=", ":=", "TO", NAMES or CHARACTER SET is a word or a literal whose items are all safe
	private boolean safeValue(StatementTokens words, int assignment) {
		Set<String> safe = this.keywords.safeLexicalValues();
		int value = -1;
		for (int i = assignment; i < words.size() && i < assignment + 6; i++) {
			String text = words.get(i).text();
			if (words.isWord(i, "NAMES") || words.isWord(i, "TO") || text.equals("=") || text.equals(":=")
					|| words.isWord(i, "SET") && words.isWord(i - 1, "CHARACTER")) {
				value = i + 1;
				break;
			}
		}
		if (safe.isEmpty() || value < 0) {
			return false;
		}
		TokenType after = words.type(value + 1);
		boolean alone = after == TokenType.WHITESPACE || after == TokenType.COMMA || words.isWord(value + 1, "FOR")
				|| words.isWord(value + 1, "COLLATE");
		if (!alone) {
			return false;
		}
		if (words.type(value) == TokenType.WORD) {
			return safe.contains(words.word(value));
		}
		if (words.type(value) != TokenType.STRING) {
			return false;
		}
		for (String item : IdentifierText.stringContent(words.get(value)).split(",", -1)) {
			if (!safe.contains(item.trim().toUpperCase(Locale.ROOT))) {
				return false;
			}
		}
		return true;
	}

	private static String settingAt(StatementTokens words, int assignment) {
		String setting = assignedSetting(words, assignment);
		return (setting != null) ? setting : "";
	}

	// ------------------------------------------------------------------ administrative statements

	private @Nullable Violation findAdmin(StatementTokens words, int start) {
		int statement = start;
		String keyword = words.word(statement);
		if ("EXPLAIN".equals(keyword)) {
			// EXPLAIN ANALYZE runs the statement it explains
			statement = words.explainedStatement(statement);
			keyword = words.word(statement);
		}
		if (keyword == null) {
			return findAdminCall(words, start);
		}
		if (this.keywords.adminStatements().contains(keyword)) {
			return admin(words, statement, "administrative statement " + keyword);
		}
		List<String> phrase = words.firstPhraseAt(statement, this.keywords.adminPhrases());
		if (phrase != null) {
			return admin(words, statement, "administrative statement " + String.join(" ", phrase));
		}
		int assignment = setAssignment(words, statement, false);
		if (assignment >= 0) {
			return admin(words, assignment, "SET " + assignmentScope(words, assignment)
					+ ", which changes the server for every session");
		}
		if (this.keywords.selectIntoCreatesTable()) {
			int into = selectInto(words, statement);
			if (into >= 0) {
				return admin(words, into, "SELECT ... INTO, which creates a table");
			}
		}
		return findAdminCall(words, start);
	}

	// a server-administration function, or a setting function changing who the session is
	private @Nullable Violation findAdminCall(StatementTokens words, int start) {
		for (int i = start; i < words.size(); i++) {
			String name = words.name(i);
			if (name == null || !words.isCall(i)) {
				continue;
			}
			if (this.keywords.isAdminFunction(name)) {
				return admin(words, i, "function " + name.toLowerCase(Locale.ROOT) + ", which administers the server");
			}
			if (this.keywords.settingFunctions().contains(name)) {
				String setting = settingArgument(words, i);
				if (setting != null && this.keywords.identitySettings().contains(setting)) {
					return admin(words, i, name.toLowerCase(Locale.ROOT)
							+ " of a setting that changes who the session is, which needs allow-admin");
				}
			}
		}
		return null;
	}

	private static Violation admin(StatementTokens words, int index, String detail) {
		return new Violation(ValidationRule.ADMIN_STATEMENT, words.get(index).start(), detail);
	}

	/*
	 * In a SET statement of a dialect with assignment lists (MySQL), the first assignment that sets a transaction
	 * setting (transactionSettings = true) or uses a server-wide scope (false): SET GLOBAL x = 1,
	 * SET @@GLOBAL.x = 1, SET a = 1, PERSIST b = 2, SET @@session.autocommit = 0. Returns where that assignment
	 * starts.
	 */
	private int setAssignment(StatementTokens words, int start, boolean transactionSettings) {
		Set<String> wanted = transactionSettings ? this.keywords.transactionSettings() : this.keywords.adminSetScopes();
		if (wanted.isEmpty() || !words.isWord(start, "SET")) {
			return -1;
		}
		return firstAssignment(words, start, i -> {
			String found = transactionSettings ? assignedSetting(words, i) : assignmentScope(words, i);
			return found != null && wanted.contains(found);
		});
	}

	// the scope of an assignment: GLOBAL in "GLOBAL x = 1" and in "@@GLOBAL.x = 1"
	private static @Nullable String assignmentScope(StatementTokens words, int assignment) {
		if (isSystemVariableMarker(words, assignment)) {
			return words.get(assignment + 2).text().equals(".") ? words.name(assignment + 1) : null;
		}
		return words.wordIn(assignment, SET_SCOPES) ? words.word(assignment) : null;
	}

	// the setting an assignment sets: AUTOCOMMIT in "autocommit = 0", "SESSION autocommit = 0",
	// "@@autocommit = 0" and "@@session.autocommit = 0"
	private static @Nullable String assignedSetting(StatementTokens words, int assignment) {
		int name = assignment;
		if (isSystemVariableMarker(words, assignment)) {
			name = (words.get(assignment + 2).text().equals(".")) ? assignment + 3 : assignment + 1;
		}
		else if (words.wordIn(assignment, SET_SCOPES)) {
			name = assignment + 1;
		}
		return words.name(name);
	}

	private static boolean isSystemVariableMarker(StatementTokens words, int index) {
		return words.type(index) == TokenType.OPERATOR && words.get(index).text().equals("@@")
				&& index + 2 < words.size();
	}

	// PostgreSQL: SELECT ... INTO name outside parentheses creates a table
	private static int selectInto(StatementTokens words, int statement) {
		StatementShape shape = StatementShape.of(words.list().subList(statement, words.size()));
		int main = (shape.mainKeyword() < 0) ? -1 : statement + shape.mainKeyword();
		if (!words.isWord(main, "SELECT")) {
			return -1;
		}
		int depth = 0;
		for (int i = main + 1; i < words.size() && depth >= 0; i++) {
			TokenType type = words.type(i);
			if (type == TokenType.LEFT_PAREN) {
				depth++;
			}
			else if (type == TokenType.RIGHT_PAREN) {
				depth--;
			}
			else if (depth == 0 && words.isWord(i, "INTO")) {
				return i;
			}
		}
		return -1;
	}

	// ------------------------------------------------------------------ keywords split by comments

	// WORD /*..*/ WORD [/*..*/ WORD ...] with nothing else between, where some run of the words spells a keyword
	private @Nullable Violation findSplitKeyword(List<SqlToken> tokens) {
		for (int i = 0; i + 2 < tokens.size(); i++) {
			if (tokens.get(i).type() != TokenType.WORD || !isBlockComment(tokens.get(i + 1))) {
				continue;
			}
			StringBuilder joined = new StringBuilder(tokens.get(i).text());
			for (int j = i + 2; j < tokens.size() && isBlockComment(tokens.get(j - 1))
					&& tokens.get(j).type() == TokenType.WORD; j += 2) {
				joined.append(tokens.get(j).text());
				String candidate = joined.toString().toUpperCase(Locale.ROOT);
				if (isKeywordWorthHiding(candidate)) {
					return new Violation(ValidationRule.OBFUSCATED_KEYWORD, tokens.get(i).start(),
							"keyword " + candidate + " split by a comment");
				}
			}
		}
		return null;
	}

	private static boolean isBlockComment(SqlToken token) {
		return token.type() == TokenType.COMMENT && token.text().startsWith("/*");
	}

	private boolean isKeywordWorthHiding(String word) {
		return STATEMENT_WORDS.contains(word) || this.keywords.adminStatements().contains(word)
				|| this.keywords.transactionControl().contains(word) || this.keywords.isDangerousFunction(word);
	}

	private static String describe(SqlToken token) {
		return (token.type() == TokenType.WORD) ? token.text().toUpperCase(Locale.ROOT)
				: token.type().name().toLowerCase(Locale.ROOT).replace('_', ' ');
	}

	/** Kept in the cache; {@code violation} is {@code null} for statements that pass. */
	private record Verdict(@Nullable Violation violation) {
	}

}
