package io.asyncsql.locking;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a version conflict was about.
 *
 * @param expectedVersion the version the update expected
 * @param currentVersion the row's version when the conflict was found, or {@code null} when the row is gone
 * @param conflictingFields fields both writers changed (merge conflicts), otherwise empty
 * @param currentRecord the row as found, or {@code null}
 */
public record ConflictInfo(long expectedVersion, @Nullable Long currentVersion, List<String> conflictingFields,
		@Nullable Map<String, @Nullable Object> currentRecord) {
}
