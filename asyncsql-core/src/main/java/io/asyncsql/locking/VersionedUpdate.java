package io.asyncsql.locking;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One version-checked update with every option: which row, what to change, the version it was read at, the
 * strategy on conflict, and for {@link ConflictResolution#MERGE} the record as read plus per-field merge rules.
 * Unset options fall back to the {@link OptimisticLockManager}'s settings.
 *
 * @param table the table
 * @param id the row id
 * @param changes the new column values
 * @param expectedVersion the version the caller read
 * @param strategy the conflict strategy, or {@code null} for the manager's default
 * @param baseRecord the row as the caller read it (needed for MERGE), or {@code null}
 * @param mergeRules how MERGE resolves fields both writers changed
 * @param idColumn the id column, or {@code null} for the manager's
 * @param versionColumn the version column, or {@code null} for the manager's
 * @param maxRetries retries after the first attempt, or {@code null} for the manager's
 */
public record VersionedUpdate(String table, Object id, Map<String, ?> changes, long expectedVersion,
		@Nullable ConflictResolution strategy, @Nullable Map<String, ?> baseRecord, Map<String, MergeRule> mergeRules,
		@Nullable String idColumn, @Nullable String versionColumn, @Nullable Integer maxRetries) {

	/**
	 * Checks the update.
	 * @throws NullPointerException when table, id or changes are missing
	 * @throws IllegalArgumentException when there is nothing to change or retries are negative
	 */
	public VersionedUpdate {
		Objects.requireNonNull(table, "table");
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(changes, "changes");
		if (changes.isEmpty()) {
			throw new IllegalArgumentException("a versioned update needs at least one change");
		}
		if (maxRetries != null && maxRetries < 0) {
			throw new IllegalArgumentException("maxRetries must be >= 0 but was " + maxRetries);
		}
		changes = new LinkedHashMap<>(changes);
		mergeRules = (mergeRules != null) ? Map.copyOf(mergeRules) : Map.of();
	}

	/**
	 * A builder for an update of a row.
	 * @param table the table
	 * @param id the row id
	 * @param expectedVersion the version the caller read
	 * @return a new builder
	 */
	public static Builder of(String table, Object id, long expectedVersion) {
		return new Builder(table, id, expectedVersion);
	}

	/** Builds a {@link VersionedUpdate}. */
	public static final class Builder {

		private final String table;

		private final Object id;

		private final long expectedVersion;

		private final Map<String, @Nullable Object> changes = new LinkedHashMap<>();

		private @Nullable ConflictResolution strategy;

		private @Nullable Map<String, ?> baseRecord;

		private final Map<String, MergeRule> mergeRules = new LinkedHashMap<>();

		private @Nullable String idColumn;

		private @Nullable String versionColumn;

		private @Nullable Integer maxRetries;

		private Builder(String table, Object id, long expectedVersion) {
			this.table = table;
			this.id = id;
			this.expectedVersion = expectedVersion;
		}

		public Builder set(String column, @Nullable Object value) {
			this.changes.put(column, value);
			return this;
		}

		public Builder changes(Map<String, ?> changes) {
			this.changes.putAll(changes);
			return this;
		}

		public Builder strategy(ConflictResolution strategy) {
			this.strategy = strategy;
			return this;
		}

		/**
		 * Merges against the record as read.
		 * @param baseRecord the row as the caller read it
		 * @return this builder with {@link ConflictResolution#MERGE}
		 */
		public Builder mergeAgainst(Map<String, ?> baseRecord) {
			this.baseRecord = baseRecord;
			this.strategy = ConflictResolution.MERGE;
			return this;
		}

		public Builder mergeRule(String column, MergeRule rule) {
			this.mergeRules.put(column, rule);
			return this;
		}

		public Builder idColumn(String idColumn) {
			this.idColumn = idColumn;
			return this;
		}

		public Builder versionColumn(String versionColumn) {
			this.versionColumn = versionColumn;
			return this;
		}

		public Builder maxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
			return this;
		}

		public VersionedUpdate build() {
			return new VersionedUpdate(this.table, this.id, this.changes, this.expectedVersion, this.strategy,
					this.baseRecord, this.mergeRules, this.idColumn, this.versionColumn, this.maxRetries);
		}

	}

}
