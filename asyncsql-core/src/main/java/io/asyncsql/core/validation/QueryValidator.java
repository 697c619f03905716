package io.asyncsql.core.validation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.asyncsql.core.cache.BoundedLruCache;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.SqlToken;
import io.asyncsql.core.sql.TokenType;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a statement may be sent, on its lexed tokens only: literal and comment contents never count,
 * so {@code status = 'sleep'}, {@code 'a--b'} and {@code UNION ALL} pass while {@code DROP}, {@code pg_sleep(5)}
 * and {@code OR 1=1} do not. Verdicts are cached by SQL text. Thread-safe.
 * <p>
 * The checks, in order: unterminated literals, more than one statement, transaction control, dangerous functions
 * and clauses (refused even with {@code allow-admin}), administrative statements (unless {@code allow-admin}),
 * tautologies after {@code OR}, and keywords split by comments.
 */
public final class QueryValidator {

	/** Default number of verdicts kept per {@code allow-admin} setting. */
	public static final int DEFAULT_CACHE_CAPACITY = 4096;

	private static final Verdict PASS = new Verdict(null);

	private static final Set<String> COMPARISONS = Set.of("=", "==", "<>", "!=", "<", ">", "<=", ">=");

	private static final Set<String> STATEMENT_WORDS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "UNION",
			"WHERE", "FROM", "INTO", "VALUES", "EXEC", "EXECUTE", "DECLARE", "SLEEP", "BENCHMARK");

	private final ValidationKeywords keywords;

	private final BoundedLruCache<String, Verdict> verdicts;

	private final BoundedLruCache<String, Verdict> adminVerdicts;

	/**
	 * Creates a validator.
	 * @param keywords the dialect's keyword sets
	 * @param cacheCapacity verdicts kept per {@code allow-admin} setting
	 */
	public QueryValidator(ValidationKeywords keywords, int cacheCapacity) {
		this.keywords = keywords;
		this.verdicts = new BoundedLruCache<>(cacheCapacity);
		this.adminVerdicts = new BoundedLruCache<>(cacheCapacity);
	}

	/**
	 * Validates a statement, using the cached verdict for its text when there is one.
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
			SqlToken last = tokens.get(tokens.size() - 1);
			return new Violation(ValidationRule.UNTERMINATED_LITERAL, last.start(),
					"a literal, quoted identifier or comment is never closed");
		}
		List<SqlToken> words = significant(tokens);
		if (words.isEmpty()) {
			return null;
		}
		if (template.statementCount() > 1) {
			SqlToken second = secondStatementStart(words);
			return new Violation(ValidationRule.MULTIPLE_STATEMENTS, second.start(),
					"more than one statement (the second starts with " + describe(second) + ")");
		}
		Violation dangerous = findDangerous(words);
		if (dangerous != null) {
			return dangerous;
		}
		SqlToken first = firstKeyword(words);
		if (first != null) {
			String keyword = upper(first);
			int firstIndex = words.indexOf(first);
			if (this.keywords.transactionControl().contains(keyword)
					|| startsWithPhrase(words, firstIndex, this.keywords.transactionPhrases())) {
				return new Violation(ValidationRule.TRANSACTION_CONTROL, first.start(),
						"transaction control statement " + keyword + "; use beginTransaction() or inTransaction()");
			}
			if (!allowAdmin && (this.keywords.adminStatements().contains(keyword)
					|| startsWithPhrase(words, firstIndex, this.keywords.adminPhrases()))) {
				return new Violation(ValidationRule.ADMIN_STATEMENT, first.start(), "administrative statement " + keyword);
			}
		}
		Violation tautology = findTautology(words);
		if (tautology != null) {
			return tautology;
		}
		return findObfuscatedKeyword(tokens, allowAdmin);
	}

	private static List<SqlToken> significant(List<SqlToken> tokens) {
		List<SqlToken> significant = new ArrayList<>(tokens.size());
		for (SqlToken token : tokens) {
			if (token.type().isSignificant()) {
				significant.add(token);
			}
		}
		return significant;
	}

	private static SqlToken secondStatementStart(List<SqlToken> words) {
		boolean afterSemicolon = false;
		boolean content = false;
		for (SqlToken token : words) {
			if (token.type() == TokenType.SEMICOLON) {
				afterSemicolon = content;
			}
			else {
				if (afterSemicolon) {
					return token;
				}
				content = true;
			}
		}
		return words.get(words.size() - 1);
	}

	private static @Nullable SqlToken firstKeyword(List<SqlToken> words) {
		for (SqlToken token : words) {
			if (token.type() == TokenType.LEFT_PAREN) {
				continue;
			}
			return (token.type() == TokenType.WORD) ? token : null;
		}
		return null;
	}

	private @Nullable Violation findDangerous(List<SqlToken> words) {
		String first = null;
		for (int i = 0; i < words.size(); i++) {
			SqlToken token = words.get(i);
			if (token.type() != TokenType.WORD && token.type() != TokenType.QUOTED_IDENTIFIER) {
				continue;
			}
			String name = (token.type() == TokenType.WORD) ? upper(token) : IdentifierText.unquote(token, words, i)
				.toUpperCase(Locale.ROOT);
			if (first == null && token.type() == TokenType.WORD) {
				first = name;
			}
			boolean call = i + 1 < words.size() && words.get(i + 1).type() == TokenType.LEFT_PAREN;
			if (call && isDangerousFunction(name)) {
				return new Violation(ValidationRule.DANGEROUS_FUNCTION, token.start(), "function " + name.toLowerCase(Locale.ROOT));
			}
			if (token.type() == TokenType.WORD) {
				for (List<String> phrase : this.keywords.dangerousPhrases()) {
					if (matchesPhrase(words, i, phrase)) {
						return new Violation(ValidationRule.DANGEROUS_FUNCTION, token.start(), String.join(" ", phrase));
					}
				}
				if (first != null && !name.equals(first) && this.keywords.dangerousStatementWords().contains(first + ":" + name)) {
					return new Violation(ValidationRule.DANGEROUS_FUNCTION, token.start(), first + " ... " + name);
				}
			}
		}
		return null;
	}

	private boolean isDangerousFunction(String name) {
		if (this.keywords.dangerousFunctions().contains(name)) {
			return true;
		}
		for (String prefix : this.keywords.dangerousFunctionPrefixes()) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static boolean startsWithPhrase(List<SqlToken> words, int index, List<List<String>> phrases) {
		for (List<String> phrase : phrases) {
			if (matchesPhrase(words, index, phrase)) {
				return true;
			}
		}
		return false;
	}

	private static boolean matchesPhrase(List<SqlToken> words, int index, List<String> phrase) {
		if (index + phrase.size() > words.size()) {
			return false;
		}
		for (int j = 0; j < phrase.size(); j++) {
			SqlToken token = words.get(index + j);
			if (token.type() != TokenType.WORD || !token.text().equalsIgnoreCase(phrase.get(j))) {
				return false;
			}
		}
		return true;
	}

	// OR <literal> <comparison> <literal> that is always true, OR TRUE, OR NOT FALSE, OR <non-zero number>
	private static @Nullable Violation findTautology(List<SqlToken> words) {
		for (int i = 0; i < words.size(); i++) {
			SqlToken token = words.get(i);
			if (!token.isKeyword("OR")) {
				continue;
			}
			int j = i + 1;
			while (j < words.size() && words.get(j).type() == TokenType.LEFT_PAREN) {
				j++;
			}
			boolean negated = false;
			if (j < words.size() && words.get(j).isKeyword("NOT")) {
				negated = true;
				j++;
			}
			if (j >= words.size()) {
				return null;
			}
			SqlToken left = words.get(j);
			SqlToken op = (j + 1 < words.size()) ? words.get(j + 1) : null;
			SqlToken right = (j + 2 < words.size()) ? words.get(j + 2) : null;
			if (op != null && right != null && op.type() == TokenType.OPERATOR && COMPARISONS.contains(op.text())) {
				Boolean result = compare(left, op.text(), right);
				if (result != null && result != negated) {
					return new Violation(ValidationRule.INJECTION_TAUTOLOGY, token.start(), "always-true condition after OR");
				}
				continue;
			}
			if (isEndOfCondition(op)) {
				Boolean value = truthValue(left);
				if (value != null && value != negated) {
					return new Violation(ValidationRule.INJECTION_TAUTOLOGY, token.start(), "always-true condition after OR");
				}
			}
		}
		return null;
	}

	private static boolean isEndOfCondition(@Nullable SqlToken next) {
		return next == null || next.type() == TokenType.RIGHT_PAREN || next.type() == TokenType.SEMICOLON
				|| next.isKeyword("OR") || next.isKeyword("AND") || next.isKeyword("ORDER") || next.isKeyword("LIMIT")
				|| next.isKeyword("GROUP") || next.isKeyword("UNION");
	}

	private static @Nullable Boolean truthValue(SqlToken token) {
		if (token.isKeyword("TRUE")) {
			return true;
		}
		if (token.isKeyword("FALSE")) {
			return false;
		}
		BigDecimal number = number(token);
		return (number != null) ? number.signum() != 0 : null;
	}

	private static @Nullable Boolean compare(SqlToken left, String op, SqlToken right) {
		int order;
		BigDecimal l = number(left);
		BigDecimal r = number(right);
		if (l != null && r != null) {
			order = l.compareTo(r);
		}
		else if (left.type() == TokenType.STRING && right.type() == TokenType.STRING) {
			order = IdentifierText.stringContent(left).compareTo(IdentifierText.stringContent(right));
		}
		else if (left.type() == TokenType.WORD && right.type() == TokenType.WORD && left.text().equalsIgnoreCase(right.text())
				&& (left.isKeyword("TRUE") || left.isKeyword("FALSE"))) {
			order = 0;
		}
		else {
			return null;
		}
		return switch (op) {
			case "=", "==" -> order == 0;
			case "<>", "!=" -> order != 0;
			case "<" -> order < 0;
			case ">" -> order > 0;
			case "<=" -> order <= 0;
			case ">=" -> order >= 0;
			default -> null;
		};
	}

	private static @Nullable BigDecimal number(SqlToken token) {
		String text = (token.type() == TokenType.NUMBER) ? token.text()
				: (token.type() == TokenType.STRING) ? IdentifierText.stringContent(token) : null;
		if (text == null) {
			return null;
		}
		try {
			return new BigDecimal(text.trim());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	// WORD /*...*/ WORD with nothing else between, spelling a keyword: DR/**/OP
	private @Nullable Violation findObfuscatedKeyword(List<SqlToken> tokens, boolean allowAdmin) {
		for (int i = 0; i + 2 < tokens.size(); i++) {
			SqlToken a = tokens.get(i);
			SqlToken comment = tokens.get(i + 1);
			SqlToken b = tokens.get(i + 2);
			if (a.type() == TokenType.WORD && comment.type() == TokenType.COMMENT && b.type() == TokenType.WORD
					&& comment.text().startsWith("/*")) {
				String joined = (a.text() + b.text()).toUpperCase(Locale.ROOT);
				if (STATEMENT_WORDS.contains(joined) || this.keywords.adminStatements().contains(joined)
						|| this.keywords.transactionControl().contains(joined) || isDangerousFunction(joined)) {
					return new Violation(ValidationRule.OBFUSCATED_KEYWORD, a.start(), "keyword " + joined
							+ " split by a comment");
				}
			}
		}
		return null;
	}

	private static String upper(SqlToken token) {
		return token.text().toUpperCase(Locale.ROOT);
	}

	private static String describe(SqlToken token) {
		return (token.type() == TokenType.WORD) ? upper(token) : token.type().name().toLowerCase(Locale.ROOT);
	}

	/** Kept in the cache; {@code violation} is {@code null} for statements that pass. */
	private record Verdict(@Nullable Violation violation) {
	}

}
