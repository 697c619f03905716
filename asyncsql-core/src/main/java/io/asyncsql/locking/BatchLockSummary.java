package io.asyncsql.locking;

import java.util.Collection;

/**
 * Totals of a batch of version-checked updates.
 *
 * @param total updates in the batch
 * @param updated updates that applied (merged included)
 * @param conflicts updates that did not apply because of a conflict (version, merge or exhausted retries)
 * @param notFound updates whose row did not exist
 * @param successRate updated / total, 1.0 for an empty batch
 */
public record BatchLockSummary(int total, int updated, int conflicts, int notFound, double successRate) {

	/**
	 * Sums up results.
	 * @param results the batch's results
	 * @return the totals
	 */
	public static BatchLockSummary of(Collection<LockResult> results) {
		int updated = 0;
		int conflicts = 0;
		int notFound = 0;
		for (LockResult result : results) {
			if (result.isSuccess()) {
				updated++;
			}
			else if (result.status() == LockStatus.RECORD_NOT_FOUND) {
				notFound++;
			}
			else {
				conflicts++;
			}
		}
		int total = results.size();
		return new BatchLockSummary(total, updated, conflicts, notFound, (total == 0) ? 1.0 : (double) updated / total);
	}

}
