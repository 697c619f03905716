package io.asyncsql.locking;

/**
 * What a version-checked update does when the row changed since it was read.
 */
public enum ConflictResolution {

	/** Fail at once with the expected and the current version; the update is attempted exactly once. */
	FAIL_FAST,

	/** Re-read the row and apply the change again on the fresh version, with backoff, up to the retry limit. */
	RETRY,

	/**
	 * Three-way merge against the base record the caller read: changes the other writer did not touch are applied
	 * on top of the current row; a field both changed follows its merge rule or is a merge conflict.
	 */
	MERGE,

	/** Update without checking the version (still bumping it), reporting the conflict it overrode. */
	LAST_WRITER_WINS

}
