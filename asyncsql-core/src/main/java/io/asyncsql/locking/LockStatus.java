package io.asyncsql.locking;

/**
 * The outcome of a version-checked update.
 */
public enum LockStatus {

	/** Updated; the version was as expected (or was overridden by last-writer-wins). */
	SUCCESS,

	/** Updated after a three-way merge with changes another writer made. */
	MERGED,

	/** Not updated: the version changed since it was read. */
	VERSION_CONFLICT,

	/** Not updated: another writer changed a field this update also changed, and no merge rule resolves it. */
	MERGE_CONFLICT,

	/** Not updated: no row has the id. */
	RECORD_NOT_FOUND,

	/** Not updated: the version kept changing until the retries ran out. */
	RETRY_EXHAUSTED;

	/** @return whether the row was updated */
	public boolean isSuccess() {
		return this == SUCCESS || this == MERGED;
	}

}
