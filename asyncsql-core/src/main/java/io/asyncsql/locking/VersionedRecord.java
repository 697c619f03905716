package io.asyncsql.locking;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A row read together with its version.
 *
 * @param data the row's columns in order, the version column included
 * @param version the row's version
 */
public record VersionedRecord(Map<String, @Nullable Object> data, long version) {

	/**
	 * A column's value.
	 * @param column the column name
	 * @return the value, or {@code null}
	 */
	public @Nullable Object get(String column) {
		return this.data.get(column);
	}

}
