package io.asyncsql.core.sql;

import org.jspecify.annotations.Nullable;

/**
 * What a dialect decides when parameters are bound: its bind markers, how type hints are applied, and how Java
 * values become values the driver can bind.
 */
public interface BindingRules {

	/**
	 * Whether one marker may appear several times for the same value ({@code $1} on PostgreSQL), or each
	 * occurrence needs its own marker and value ({@code ?}).
	 * @return {@code true} for reusable markers
	 */
	boolean reusableMarkers();

	/**
	 * The bind marker for a slot.
	 * @param index the 0-based slot
	 * @return the marker text, for example {@code $1} or {@code ?}
	 */
	String marker(int index);

	/**
	 * Whether type hints are applied; when not, hints are ignored (and logged at debug level).
	 * @return {@code true} when the dialect applies hints
	 */
	boolean supportsTypeHints();

	/**
	 * Checks that a hint is a well-formed type name, so that hints can never carry SQL.
	 * @param hint the hint, for example {@code jsonb} or {@code numeric(10,2)[]}
	 * @throws IllegalArgumentException when the hint is not a valid type name
	 */
	void checkTypeHint(String hint);

	/**
	 * A marker with an explicit cast to the hinted type.
	 * @param marker the marker
	 * @param hint a checked hint
	 * @return for example {@code $1::jsonb}
	 */
	String castMarker(String marker, String hint);

	/**
	 * The text that replaces {@code IN ( :p )} (or {@code NOT IN ( :p )}) when the collection is empty: it must
	 * match nothing (or, negated, everything) instead of producing {@code IN ()}.
	 * @param negated whether the list is a {@code NOT IN} list
	 * @return the replacement, starting where {@code IN} (or {@code NOT}) started
	 */
	String emptyInList(boolean negated);

	/**
	 * Converts a non-null Java value into a value the driver binds.
	 * @param value the value
	 * @param hint the type hint for the parameter, or {@code null}
	 * @return the value to bind
	 * @throws IllegalArgumentException when the value cannot be bound; the message must not contain the value
	 */
	Object toBindValue(Object value, @Nullable String hint);

	/**
	 * How {@code null} is bound.
	 * @param hint the type hint for the parameter, or {@code null}
	 * @return a typed null
	 */
	NullBind nullValue(@Nullable String hint);

}
