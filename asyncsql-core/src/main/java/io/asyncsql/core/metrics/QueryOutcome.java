package io.asyncsql.core.metrics;

import java.util.Locale;

/**
 * How a query ended; the {@code outcome} tag of {@code asyncsql.queries}.
 */
public enum QueryOutcome {

	/** Completed normally. */
	SUCCESS,

	/** Failed in the database or on the way to it. */
	ERROR,

	/** Refused by validation or binding before reaching the database. */
	REJECTED,

	/** Exceeded its timeout and was cancelled. */
	TIMEOUT,

	/** Cancelled by its caller before it ended (a disposed subscription, a {@code take}, a caller's timeout). */
	CANCELLED;

	private final String tag = name().toLowerCase(Locale.ROOT);

	/** @return the tag value */
	public String tag() {
		return this.tag;
	}

}
