package io.asyncsql.locking;

/**
 * How {@link ConflictResolution#MERGE} resolves a field that both this update and another writer changed.
 */
public enum MergeRule {

	/** Numbers: current + (ours − base), so both writers' deltas count. */
	NUMERIC_DELTA,

	/** Keep the other writer's value. */
	KEEP_CURRENT,

	/** Write this update's value over the other writer's. */
	TAKE_OURS,

	/** Lists: the current elements followed by this update's elements not already present. */
	LIST_UNION

}
