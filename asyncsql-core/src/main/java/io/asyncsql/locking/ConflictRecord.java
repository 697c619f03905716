package io.asyncsql.locking;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One version conflict, as kept in the conflict history.
 *
 * @param timestamp when it was met
 * @param table the table
 * @param recordId the row id
 * @param expectedVersion the version the update expected
 * @param currentVersion the version found, or {@code null} when the row was gone
 * @param retryCount how many retries had happened when it was met
 * @param resolution the strategy that handled it
 */
public record ConflictRecord(Instant timestamp, String table, Object recordId, long expectedVersion,
		@Nullable Long currentVersion, int retryCount, ConflictResolution resolution) {
}
