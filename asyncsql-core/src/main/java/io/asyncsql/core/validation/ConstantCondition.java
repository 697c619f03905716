package io.asyncsql.core.validation;

import java.util.Set;

import io.asyncsql.core.sql.TokenType;

/**
 * Finds the classic injection signature: an {@code OR} followed by a condition made only of constants, such as
 * {@code OR 1=1}, {@code OR 'a'='a'}, {@code OR TRUE} or {@code OR 2>1}. Such a condition has no place after
 * {@code OR} in application SQL: its value is known when the statement is written.
 * <p>
 * The condition's value is never computed, because that would mean reading literal contents: {@code OR 'a'='b'} is
 * refused like {@code OR 'a'='a'}, so a statement's verdict never depends on what its literals say.
 */
final class ConstantCondition {

	private static final Set<String> CONSTANTS = Set.of("TRUE", "FALSE", "NULL", "UNKNOWN");

	// words that may appear between constants in a condition
	private static final Set<String> OPERATOR_WORDS = Set.of("NOT", "IS", "LIKE", "ILIKE", "IN", "BETWEEN",
			"SYMMETRIC", "SIMILAR", "DISTINCT", "ESCAPE", "REGEXP", "RLIKE", "DIV", "MOD", "XOR", "COLLATE");

	// words that end a condition: the clause after it starts
	private static final Set<String> CLAUSE_WORDS = Set.of("ORDER", "GROUP", "LIMIT", "OFFSET", "FETCH", "UNION",
			"INTERSECT", "EXCEPT", "MINUS", "HAVING", "WINDOW", "QUALIFY", "FOR", "RETURNING", "THEN", "ELSE", "END",
			"WHEN", "INTO", "ON", "USING", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "WHERE",
			"FROM", "SELECT", "LOCK", "AS", "SET", "VALUES", "DO", "PROCEDURE");

	private ConstantCondition() {
	}

	/**
	 * The first {@code OR} that a constant condition follows.
	 * @param words the statement
	 * @param orOperators operators that mean {@code OR} in the dialect
	 * @return the index of the {@code OR}, or -1
	 */
	static int find(StatementTokens words, Set<String> orOperators) {
		for (int i = 0; i < words.size(); i++) {
			boolean or = words.isWord(i, "OR")
					|| words.type(i) == TokenType.OPERATOR && orOperators.contains(words.get(i).text());
			if (or && isConstantCondition(words, i + 1, orOperators)) {
				return i;
			}
		}
		return -1;
	}

	private static boolean isConstantCondition(StatementTokens words, int from, Set<String> orOperators) {
		int depth = 0;
		int constants = 0;
		boolean inBetween = false;
		int i = from;
		for (; i < words.size(); i++) {
			TokenType type = words.type(i);
			if (type == TokenType.LEFT_PAREN) {
				depth++;
			}
			else if (type == TokenType.RIGHT_PAREN) {
				if (depth == 0) {
					break;
				}
				depth--;
			}
			else if (type == TokenType.COMMA || type == TokenType.SEMICOLON) {
				if (depth == 0) {
					break;
				}
			}
			else if (type == TokenType.NUMBER || type == TokenType.STRING) {
				constants++;
			}
			else if (type == TokenType.OPERATOR) {
				if (depth == 0 && orOperators.contains(words.get(i).text())) {
					break;
				}
			}
			else if (type == TokenType.CAST) {
				if (words.type(i + 1) == TokenType.WORD) {
					i++; // the type name
				}
			}
			else if (type == TokenType.WORD) {
				String word = words.word(i);
				if (CONSTANTS.contains(word)) {
					constants++;
				}
				else if (OPERATOR_WORDS.contains(word)) {
					inBetween |= "BETWEEN".equals(word);
				}
				else if ("AND".equals(word) && inBetween) {
					inBetween = false;
				}
				else if ("FROM".equals(word) && words.isWord(i - 1, "DISTINCT")
						|| "TO".equals(word) && words.isWord(i - 1, "SIMILAR")) {
					continue;
				}
				else if (depth == 0 && ("AND".equals(word) || "OR".equals(word) || CLAUSE_WORDS.contains(word))) {
					break;
				}
				else if (depth > 0 && ("AND".equals(word) || "OR".equals(word))) {
					continue;
				}
				else {
					return false; // a column, a function or a subquery: the condition depends on data
				}
			}
			else {
				return false; // a parameter, a quoted identifier or other punctuation
			}
		}
		return i > from && constants > 0;
	}

}
