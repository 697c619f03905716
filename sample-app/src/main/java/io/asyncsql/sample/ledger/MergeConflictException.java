package io.asyncsql.sample.ledger;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A change based on an older version of an account touched a field that another writer changed differently since,
 * and no merge rule decides between them. Nothing was written; the client sees both versions and decides.
 */
public class MergeConflictException extends RuntimeException {

	private final Account base;

	private final Map<String, @Nullable Object> changes;

	private final Account current;

	private final List<String> conflictingFields;

	/**
	 * Creates the exception.
	 * @param base the account at the version the client read
	 * @param changes what the client asked to change
	 * @param current the account as it is now
	 * @param conflictingFields the fields both sides changed differently
	 */
	public MergeConflictException(Account base, Map<String, @Nullable Object> changes, Account current,
			List<String> conflictingFields) {
		super("Account " + base.id() + " changed since version " + base.version() + " (now version " + current.version()
				+ ") in fields this change also sets: " + String.join(", ", conflictingFields));
		this.base = base;
		this.changes = changes;
		this.current = current;
		this.conflictingFields = List.copyOf(conflictingFields);
	}

	/** @return the account at the version the client read */
	public Account base() {
		return this.base;
	}

	/** @return what the client asked to change */
	public Map<String, @Nullable Object> changes() {
		return this.changes;
	}

	/** @return the account as it is now */
	public Account current() {
		return this.current;
	}

	/** @return the fields both sides changed differently */
	public List<String> conflictingFields() {
		return this.conflictingFields;
	}

}
