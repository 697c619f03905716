package io.asyncsql.locking;

/**
 * A snapshot of an {@link OptimisticLockManager}'s activity since it started. Reading it is not an operation.
 *
 * @param totalOperations version-checked updates performed (reads excluded)
 * @param successfulOperations those that updated the row (merged ones included)
 * @param versionConflicts conflicts met, retried ones included
 * @param retriesPerformed retries after conflicts
 * @param mergeConflicts merges that could not resolve a field
 * @param avgRetryCount retries per operation
 * @param conflictRate conflicts per operation
 * @param successRate successful operations per operation
 */
public record LockMetrics(long totalOperations, long successfulOperations, long versionConflicts, long retriesPerformed,
		long mergeConflicts, double avgRetryCount, double conflictRate, double successRate) {
}
