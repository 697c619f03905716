package io.asyncsql.locking;

import org.springframework.dao.OptimisticLockingFailureException;

/**
 * A version-checked update did not apply. Extends Spring's {@link OptimisticLockingFailureException}, so code and
 * {@link OptimisticLocked @OptimisticLocked} treat it like Spring Data's own version conflicts.
 */
public class OptimisticLockConflictException extends OptimisticLockingFailureException {

	private final LockResult result;

	/**
	 * Creates the exception.
	 * @param result the failed result
	 */
	public OptimisticLockConflictException(LockResult result) {
		super(describe(result));
		this.result = result;
	}

	private static String describe(LockResult result) {
		ConflictInfo conflict = result.conflict();
		String versions = (conflict != null) ? " (expected version " + conflict.expectedVersion() + ", current "
				+ conflict.currentVersion() + ((conflict.conflictingFields().isEmpty()) ? ""
						: ", conflicting fields " + conflict.conflictingFields()) + ")" : "";
		return "Optimistic lock: " + result.status() + versions + " after " + result.retryCount() + " retries";
	}

	/** @return the failed result */
	public LockResult result() {
		return this.result;
	}

}
