package io.asyncsql.core.sql;

import java.util.List;
import java.util.Locale;

/**
 * The outline of the first statement of a token list: its kind, whether a {@code WITH} clause holds a
 * data-modifying CTE, and where its main keyword is. Found after leading comments, empty statements ({@code ;}) and
 * parentheses and after any CTE list (including PostgreSQL's {@code SEARCH} and {@code CYCLE} clauses), so
 * {@code WITH d AS (DELETE ...) SELECT ...} is a DELETE.
 *
 * @param kind what the statement does; a data-modifying CTE decides it
 * @param modifyingCte whether a CTE inserts, updates or deletes
 * @param mainKeyword index of the main statement's first keyword token, or -1 when there is none
 */
public record StatementShape(StatementKind kind, boolean modifyingCte, int mainKeyword) {

	/**
	 * Outlines the first statement in {@code tokens}.
	 * @param tokens the tokens of a SQL text
	 * @return the outline
	 */
	public static StatementShape of(List<SqlToken> tokens) {
		return new Scan(tokens, tokens.size()).shape(0);
	}

	private static final class Scan {

		private final List<SqlToken> tokens;

		private final int end;

		Scan(List<SqlToken> tokens, int end) {
			this.tokens = tokens;
			this.end = end;
		}

		StatementShape shape(int from) {
			int i = next(from);
			while (i >= 0 && this.tokens.get(i).type() == TokenType.SEMICOLON) {
				i = next(i + 1);
			}
			i = skipOpenParens(i);
			if (i < 0) {
				return new StatementShape(StatementKind.OTHER, false, -1);
			}
			StatementKind modifying = null;
			if (this.tokens.get(i).isKeyword("WITH")) {
				i = next(i + 1);
				if (i >= 0 && this.tokens.get(i).isKeyword("RECURSIVE")) {
					i = next(i + 1);
				}
				while (i >= 0) {
					// name [ (columns) ] AS [ NOT ] [ MATERIALIZED ] ( body )
					i = next(i + 1);
					if (i >= 0 && this.tokens.get(i).type() == TokenType.LEFT_PAREN) {
						i = next(matchingParen(i) + 1);
					}
					if (i < 0 || !this.tokens.get(i).isKeyword("AS")) {
						return new StatementShape(StatementKind.OTHER, modifying != null, -1);
					}
					i = next(i + 1);
					while (i >= 0 && (this.tokens.get(i).isKeyword("NOT") || this.tokens.get(i).isKeyword("MATERIALIZED"))) {
						i = next(i + 1);
					}
					if (i < 0 || this.tokens.get(i).type() != TokenType.LEFT_PAREN) {
						return new StatementShape(StatementKind.OTHER, modifying != null, -1);
					}
					int close = matchingParen(i);
					StatementShape body = new Scan(this.tokens, close).shape(i + 1);
					if (modifying == null && (body.kind().isDml() || body.modifyingCte())) {
						modifying = body.kind();
					}
					i = skipSearchAndCycle(next(close + 1));
					if (i < 0 || this.tokens.get(i).type() != TokenType.COMMA) {
						break;
					}
					i = next(i + 1); // the next CTE's name
				}
				i = skipOpenParens(i);
				if (i < 0) {
					return new StatementShape(StatementKind.OTHER, modifying != null, -1);
				}
			}
			StatementKind kind = classify(this.tokens.get(i));
			return new StatementShape((modifying != null) ? modifying : kind, modifying != null, i);
		}

		// SEARCH { DEPTH | BREADTH } FIRST BY columns SET column
		// CYCLE columns SET column [ TO value DEFAULT value ] USING column
		private int skipSearchAndCycle(int i) {
			if (i >= 0 && this.tokens.get(i).isKeyword("SEARCH")) {
				i = skipPast(i, "SET");
			}
			if (i >= 0 && this.tokens.get(i).isKeyword("CYCLE")) {
				i = skipPast(i, "USING");
			}
			return i;
		}

		// the token after the one following the next occurrence of keyword: the column it names
		private int skipPast(int i, String keyword) {
			while (i >= 0 && !this.tokens.get(i).isKeyword(keyword)) {
				i = next(i + 1);
			}
			int column = (i < 0) ? -1 : next(i + 1);
			return (column < 0) ? -1 : next(column + 1);
		}

		private int skipOpenParens(int i) {
			while (i >= 0 && this.tokens.get(i).type() == TokenType.LEFT_PAREN) {
				i = next(i + 1);
			}
			return i;
		}

		private int next(int from) {
			for (int i = Math.max(from, 0); i < this.end; i++) {
				if (this.tokens.get(i).type().isSignificant()) {
					return i;
				}
			}
			return -1;
		}

		private int matchingParen(int open) {
			int depth = 0;
			for (int i = open; i < this.end; i++) {
				TokenType type = this.tokens.get(i).type();
				if (type == TokenType.LEFT_PAREN) {
					depth++;
				}
				else if (type == TokenType.RIGHT_PAREN && --depth == 0) {
					return i;
				}
			}
			return this.end - 1;
		}

	}

	private static StatementKind classify(SqlToken token) {
		if (token.type() != TokenType.WORD) {
			return StatementKind.OTHER;
		}
		return switch (token.text().toUpperCase(Locale.ROOT)) {
			case "SELECT", "VALUES", "TABLE", "SHOW" -> StatementKind.SELECT;
			case "INSERT", "REPLACE" -> StatementKind.INSERT;
			case "UPDATE", "MERGE" -> StatementKind.UPDATE;
			case "DELETE" -> StatementKind.DELETE;
			default -> StatementKind.OTHER;
		};
	}

}
