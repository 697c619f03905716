package io.asyncsql.core.sql;

import org.jspecify.annotations.Nullable;

/**
 * One parameter occurrence in a SQL text.
 *
 * @param name the parameter name for {@code :name}, {@code null} for positional markers
 * @param position the 1-based position for {@code $n}, the occurrence number for {@code ?}, 0 for named
 * @param tokenIndex the index of the token in the template
 * @param castFollows whether the SQL casts the parameter itself ({@code :p::jsonb}), so no type hint is added
 * @param listStart when the parameter is the whole content of an {@code IN (...)} list: the index of the
 * {@code IN} token (or of {@code NOT} in {@code NOT IN}), otherwise -1; a collection value there expands to one
 * marker per element
 * @param listEnd the index of the list's closing parenthesis, or -1
 * @param negated whether the list is a {@code NOT IN} list
 * @param subscriptFollows whether an array subscript follows ({@code :p[1]}), so a cast added to the marker must be
 * parenthesized or the subscript would be read as part of the type name
 */
public record Placeholder(@Nullable String name, int position, int tokenIndex, boolean castFollows, int listStart,
		int listEnd, boolean negated, boolean subscriptFollows) {

	/** @return whether this is a {@code :name} parameter */
	public boolean isNamed() {
		return this.name != null;
	}

	/** @return whether the parameter is the whole content of an {@code IN (...)} list */
	public boolean inList() {
		return this.listStart >= 0;
	}

}
