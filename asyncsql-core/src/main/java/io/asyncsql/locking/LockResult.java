package io.asyncsql.locking;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of a version-checked update.
 *
 * @param status what happened
 * @param newVersion the row's version after the update, or {@code null} when it was not updated
 * @param retryCount how many times the update was attempted again after a conflict
 * @param record the row after the update, or {@code null} when it was not updated
 * @param conflict the conflict met (for last-writer-wins: the one overridden), or {@code null}
 */
public record LockResult(LockStatus status, @Nullable Long newVersion, int retryCount,
		@Nullable Map<String, @Nullable Object> record, @Nullable ConflictInfo conflict) {

	/** @return whether the row was updated */
	public boolean isSuccess() {
		return this.status.isSuccess();
	}

	/** @return whether the update overrode another writer's change without merging (last-writer-wins) */
	public boolean forced() {
		return this.status == LockStatus.SUCCESS && this.conflict != null;
	}

	/**
	 * This result, or an exception when the row was not updated.
	 * @return this result when it is a success
	 * @throws OptimisticLockConflictException for every other status
	 */
	public LockResult orThrow() {
		if (isSuccess()) {
			return this;
		}
		throw new OptimisticLockConflictException(this);
	}

}
