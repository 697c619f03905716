package io.asyncsql.core.sql;

import java.util.Locale;

/**
 * What a statement does, as far as metrics ({@code operation} tag) and retry safety need to know.
 */
public enum StatementKind {

	/** A query: {@code SELECT}, {@code VALUES}, {@code TABLE}, {@code SHOW}. */
	SELECT,

	/** {@code INSERT} (and MySQL's {@code REPLACE}). */
	INSERT,

	/** {@code UPDATE} (and {@code MERGE}). */
	UPDATE,

	/** {@code DELETE}. */
	DELETE,

	/** Anything else: DDL, {@code CALL}, {@code EXPLAIN}, {@code SET}, transaction control... */
	OTHER;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** @return the lower-case value of the {@code operation} metric tag */
	public String tag() {
		return this.tag;
	}

	/** @return whether the statement writes rows, so its update count is its row count */
	public boolean isDml() {
		return this == INSERT || this == UPDATE || this == DELETE;
	}

}
