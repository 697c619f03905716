package io.asyncsql.locking;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.SqlOperations;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Version-checked (optimistic) updates of single rows, with four strategies for conflicts (see
 * {@link ConflictResolution}), metrics and a conflict history. Works on any {@link AsyncSqlNode}; inside a
 * transaction (a Spring-managed one or {@code inTransaction}) its statements join it.
 * <p>
 * The happy path is one round trip on PostgreSQL: {@code UPDATE ... SET ..., version = version + 1 WHERE id = ?
 * AND version = ? RETURNING *}. When no row was updated one more read tells a conflict from a missing row. Table and
 * column names are checked and quoted; values are always bound. A lost update is never reported as a success:
 * {@link ConflictResolution#RETRY} re-applies the caller's values on the fresh version (use
 * {@link #update(AsyncSqlNode, String, Object, Function)} for values computed from the row), and
 * {@link ConflictResolution#MERGE} only writes what it could merge.
 * <p>
 * Thread-safe; usable without Spring. In a Spring Boot application it is a bean configured by
 * {@code asyncsql.locking.*}.
 */
public final class OptimisticLockManager {

	private final LockingSettings settings;

	private final LockActivity activity;

	private final Scheduler timer;

	/**
	 * A manager with the default settings and no metrics.
	 */
	public OptimisticLockManager() {
		this(LockingSettings.DEFAULT, null, Schedulers.parallel(), Clock.systemUTC());
	}

	/**
	 * Creates a manager.
	 * @param settings column names, retry and history settings
	 * @param meterRegistry where the {@code asyncsql.lock.*} meters go, or {@code null}
	 * @param timer runs retry delays (a virtual-time scheduler in tests)
	 * @param clock stamps conflict records
	 */
	public OptimisticLockManager(LockingSettings settings, @Nullable MeterRegistry meterRegistry, Scheduler timer,
			Clock clock) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.activity = new LockActivity(meterRegistry, clock, settings.conflictHistorySize());
		this.timer = timer;
	}

	/** @return the manager's settings */
	public LockingSettings settings() {
		return this.settings;
	}

	// where @OptimisticLocked counts the conflicts the manager did not raise itself
	LockActivity activity() {
		return this.activity;
	}

	/**
	 * Reads a row with its version.
	 * @param node the node
	 * @param table the table ({@code name} or {@code schema.name})
	 * @param id the row id
	 * @return the row, or empty when there is none; fails with an {@link IllegalArgumentException} when the table
	 * name is not a valid identifier, and with an {@link IllegalStateException} when the row has no numeric version
	 * column (as every read and update of this manager does)
	 */
	public Mono<VersionedRecord> readWithVersion(AsyncSqlNode node, String table, Object id) {
		return Mono.defer(() -> read(node, statements(node, table, null, null), id, this.settings.versionField()));
	}

	/**
	 * Updates a row if its version is still {@code expectedVersion}, resolving a conflict with the default strategy.
	 * @param node the node
	 * @param table the table
	 * @param id the row id
	 * @param changes the new column values
	 * @param expectedVersion the version the caller read
	 * @return the outcome; a conflict is a result, not an error (see {@link LockResult#orThrow()}); fails with an
	 * {@link IllegalArgumentException} when a name is not a valid identifier, there are no changes, or a change
	 * touches the id or version column
	 */
	public Mono<LockResult> updateWithVersion(AsyncSqlNode node, String table, Object id, Map<String, ?> changes,
			long expectedVersion) {
		return Mono.defer(() -> updateWithVersion(node, new VersionedUpdate(table, id, changes, expectedVersion, null,
				null, Map.of(), null, null, null)));
	}

	/**
	 * Updates a row if its version is still the expected one, with every option of {@link VersionedUpdate}.
	 * @param node the node
	 * @param update the update
	 * @return the outcome; fails with an {@link IllegalArgumentException} when a name is invalid, the change touches
	 * the id or version column, or MERGE is asked for without a base record
	 */
	public Mono<LockResult> updateWithVersion(AsyncSqlNode node, VersionedUpdate update) {
		return Mono.defer(() -> planned(node, update));
	}

	private Mono<LockResult> planned(AsyncSqlNode node, VersionedUpdate update) {
		Plan plan = plan(node, update);
		Mono<LockResult> outcome = switch (plan.strategy) {
			case FAIL_FAST -> retrying(plan, current -> update.changes(), update.expectedVersion(), 0, 0);
			case RETRY -> retrying(plan, current -> update.changes(), update.expectedVersion(), 0, plan.maxRetries);
			case MERGE -> merging(plan, update);
			case LAST_WRITER_WINS -> forcing(plan, update);
		};
		return outcome.doOnNext(result -> this.activity.operation(update.table(), result));
	}

	/**
	 * Reads a row, computes changes from it and writes them if the version did not move; on a conflict reads the
	 * fresh row and computes again, with backoff, up to the retry limit. This is the correct retry for values
	 * computed from the row, such as {@code balance + amount}: no update is ever applied to a stale value.
	 * @param node the node
	 * @param table the table
	 * @param id the row id
	 * @param updater computes the changes from the current row
	 * @return the outcome: SUCCESS, RECORD_NOT_FOUND or RETRY_EXHAUSTED; fails with an
	 * {@link IllegalArgumentException} when a name is not a valid identifier or the changes touch the id or version
	 * column
	 * @throws NullPointerException when {@code updater} is null
	 */
	public Mono<LockResult> update(AsyncSqlNode node, String table, Object id,
			Function<VersionedRecord, ? extends Map<String, ?>> updater) {
		Objects.requireNonNull(updater, "updater");
		return Mono.defer(() -> recomputing(node, table, id, updater));
	}

	private Mono<LockResult> recomputing(AsyncSqlNode node, String table, Object id,
			Function<VersionedRecord, ? extends Map<String, ?>> updater) {
		Plan plan = new Plan(node, statements(node, table, null, null), table, id, this.settings.idField(),
				this.settings.versionField(), ConflictResolution.RETRY, this.settings.maxRetries());
		return read(node, plan.statements, id, plan.versionColumn)
			.flatMap(record -> retrying(plan, current -> checked(plan, updater.apply(current)), record.version(), 0,
					plan.maxRetries, record))
			.switchIfEmpty(Mono.fromSupplier(() -> new LockResult(LockStatus.RECORD_NOT_FOUND, null, 0, null, null)))
			.doOnNext(result -> this.activity.operation(table, result));
	}

	/**
	 * Runs version-checked updates of one table one after the other.
	 * @param node the node
	 * @param table the table every update must name
	 * @param updates the updates
	 * @return one result per update, in order; sum them up with {@link BatchLockSummary#of}; fails with an
	 * {@link IllegalArgumentException}, before any update, when an update names another table
	 */
	public Flux<LockResult> batchUpdateWithVersion(AsyncSqlNode node, String table, List<VersionedUpdate> updates) {
		return Flux.defer(() -> {
			for (VersionedUpdate update : updates) {
				if (!update.table().equals(table)) {
					return Flux.error(new IllegalArgumentException("batch for table '" + table
							+ "' holds an update of '" + update.table() + "'"));
				}
			}
			return Flux.fromIterable(updates).concatMap(update -> updateWithVersion(node, update));
		});
	}

	/** @return totals since the manager started; reading them is not an operation */
	public LockMetrics metrics() {
		return this.activity.snapshot();
	}

	/**
	 * Recent conflicts, newest first.
	 * @param limit the most records returned
	 * @return the records
	 */
	public List<ConflictRecord> conflictHistory(int limit) {
		return this.activity.history(limit);
	}

	/** @return where conflicts happen and what to do about them */
	public ConflictAnalysis analyzeConflicts() {
		return this.activity.analyze();
	}

	// ---------------------------------------------------------------- strategies

	// One attempt at a version, then on conflict: re-read, record, back off and try again with fresh changes.
	private Mono<LockResult> retrying(Plan plan, Function<VersionedRecord, Map<String, ?>> changes, long version,
			int retries, int maxRetries) {
		return retrying(plan, changes, version, retries, maxRetries, null);
	}

	private Mono<LockResult> retrying(Plan plan, Function<VersionedRecord, Map<String, ?>> changes, long version,
			int retries, int maxRetries, @Nullable VersionedRecord current) {
		Map<String, ?> values = changes.apply(current);
		return attempt(plan, values, version, true).flatMap(updated -> {
			if (updated.isPresent()) {
				return Mono.just(success(LockStatus.SUCCESS, updated, retries, null, plan));
			}
			return read(plan.node, plan.statements, plan.id, plan.versionColumn)
				.map(fresh -> {
					this.activity.conflict(plan.table, plan.id, version, fresh.version(), retries, plan.strategy);
					return new Conflicted(fresh);
				})
				.defaultIfEmpty(Conflicted.MISSING)
				.flatMap(conflicted -> {
					if (conflicted.fresh == null) {
						return Mono.just(new LockResult(LockStatus.RECORD_NOT_FOUND, null, retries, null, null));
					}
					ConflictInfo info = new ConflictInfo(version, conflicted.fresh.version(), List.of(),
							conflicted.fresh.data());
					if (retries >= maxRetries) {
						LockStatus status = (maxRetries == 0) ? LockStatus.VERSION_CONFLICT : LockStatus.RETRY_EXHAUSTED;
						return Mono.just(new LockResult(status, null, retries, null, info));
					}
					return Mono.delay(this.settings.delay(retries), this.timer)
						.then(Mono.defer(() -> retrying(plan, changes, conflicted.fresh.version(), retries + 1,
								maxRetries, conflicted.fresh)));
				});
		});
	}

	private Mono<LockResult> merging(Plan plan, VersionedUpdate update) {
		if (update.baseRecord() == null) {
			throw new IllegalArgumentException("MERGE needs the record as read (VersionedUpdate.baseRecord) to tell "
					+ "which fields another writer changed");
		}
		return attempt(plan, update.changes(), update.expectedVersion(), true).flatMap(updated -> updated.isPresent()
				? Mono.just(success(LockStatus.SUCCESS, updated, 0, null, plan))
				: mergeOnto(plan, update, update.expectedVersion(), 0));
	}

	private Mono<LockResult> mergeOnto(Plan plan, VersionedUpdate update, long failedVersion, int retries) {
		return read(plan.node, plan.statements, plan.id, plan.versionColumn)
			.flatMap(current -> {
				this.activity.conflict(plan.table, plan.id, failedVersion, current.version(), retries, ConflictResolution.MERGE);
				ThreeWayMerge.Outcome merge = ThreeWayMerge.merge(update.baseRecord(), update.changes(), current.data(),
						update.mergeRules());
				ConflictInfo info = new ConflictInfo(update.expectedVersion(), current.version(), merge.conflicts(),
						current.data());
				if (!merge.conflicts().isEmpty()) {
					return Mono.just(new LockResult(LockStatus.MERGE_CONFLICT, null, retries, null, info));
				}
				return attempt(plan, merge.changes(), current.version(), true).flatMap(updated -> {
					if (updated.isPresent()) {
						return Mono.just(success(LockStatus.MERGED, updated, retries, info, plan));
					}
					if (retries >= plan.maxRetries) {
						return Mono.just(new LockResult(LockStatus.RETRY_EXHAUSTED, null, retries, null, info));
					}
					// yet another writer got in between: merge again onto the newer row
					return Mono.delay(this.settings.delay(retries), this.timer)
						.then(Mono.defer(() -> mergeOnto(plan, update, current.version(), retries + 1)));
				});
			})
			.switchIfEmpty(Mono.fromSupplier(() -> new LockResult(LockStatus.RECORD_NOT_FOUND, null, retries, null, null)));
	}

	private Mono<LockResult> forcing(Plan plan, VersionedUpdate update) {
		return attempt(plan, update.changes(), update.expectedVersion(), false).map(updated -> {
			if (updated.isEmpty()) {
				return new LockResult(LockStatus.RECORD_NOT_FOUND, null, 0, null, null);
			}
			long newVersion = version(updated.record, plan);
			long overridden = newVersion - 1;
			ConflictInfo info = null;
			if (overridden != update.expectedVersion()) {
				info = new ConflictInfo(update.expectedVersion(), overridden, List.of(), null);
				this.activity.conflict(plan.table, plan.id, update.expectedVersion(), overridden, 0,
						ConflictResolution.LAST_WRITER_WINS);
			}
			return new LockResult(LockStatus.SUCCESS, newVersion, 0, updated.record, info);
		});
	}

	// ---------------------------------------------------------------- statements

	// The row after a successful update, or an empty Updated when no row matched.
	private Mono<Updated> attempt(Plan plan, Map<String, ?> changes, long expectedVersion, boolean checkVersion) {
		Map<String, Object> params = new HashMap<>();
		changes.forEach((column, value) -> params.put(LockStatements.CHANGE_PREFIX + column, value));
		params.put(LockStatements.ID, plan.id);
		if (checkVersion) {
			params.put(LockStatements.EXPECTED, expectedVersion);
		}
		String sql = plan.statements.update(changes.keySet(), checkVersion);
		if (plan.statements.returnsRows()) {
			return plan.node.execute(sql, params, FetchMode.ONE).map(Updated::of);
		}
		// no RETURNING: update and read back in one transaction, joining the caller's when there is one
		return plan.node.inTransaction(tx -> tx.execute(sql, params)
			.flatMap(result -> (result.rowCount() == 0) ? Mono.just(Updated.NONE)
					: selectRow(tx, plan.statements, plan.id).map(Updated::of)))
			.next();
	}

	private Mono<VersionedRecord> read(AsyncSqlNode node, LockStatements statements, Object id, String versionColumn) {
		return selectRow(node, statements, id)
			.filter(result -> result.one() != null)
			.map(result -> {
				Map<String, @Nullable Object> row = result.one();
				return new VersionedRecord(row, version(row, versionColumn));
			});
	}

	private static Mono<QueryResult> selectRow(SqlOperations operations, LockStatements statements, Object id) {
		return operations.execute(statements.select(), Map.of(LockStatements.ID, id), FetchMode.ONE);
	}

	private static long version(Map<String, @Nullable Object> row, String versionColumn) {
		Object version = row.get(versionColumn);
		if (!(version instanceof Number number)) {
			throw new IllegalStateException("the row has no numeric version column '" + versionColumn + "' (found "
					+ ((version == null) ? "null" : version.getClass().getSimpleName()) + ")");
		}
		return number.longValue();
	}

	private static long version(Map<String, @Nullable Object> row, Plan plan) {
		return version(row, plan.versionColumn);
	}

	private LockResult success(LockStatus status, Updated updated, int retries, @Nullable ConflictInfo conflict,
			Plan plan) {
		return new LockResult(status, version(updated.record, plan), retries, updated.record, conflict);
	}

	private Plan plan(AsyncSqlNode node, VersionedUpdate update) {
		String idColumn = (update.idColumn() != null) ? update.idColumn() : this.settings.idField();
		String versionColumn = (update.versionColumn() != null) ? update.versionColumn() : this.settings.versionField();
		ConflictResolution strategy = (update.strategy() != null) ? update.strategy()
				: this.settings.defaultConflictResolution();
		int maxRetries = (update.maxRetries() != null) ? update.maxRetries() : this.settings.maxRetries();
		Plan plan = new Plan(node, statements(node, update.table(), idColumn, versionColumn), update.table(), update.id(),
				idColumn, versionColumn, strategy, maxRetries);
		checked(plan, update.changes());
		return plan;
	}

	private static Map<String, ?> checked(Plan plan, Map<String, ?> changes) {
		for (String column : changes.keySet()) {
			LockStatements.quote(plan.node.databaseType(), "column", column);
			if (column.equals(plan.idColumn) || column.equals(plan.versionColumn)) {
				throw new IllegalArgumentException("column '" + column + "' is managed by the lock manager and cannot be "
						+ "changed by an update");
			}
		}
		return changes;
	}

	private LockStatements statements(AsyncSqlNode node, String table, @Nullable String idColumn,
			@Nullable String versionColumn) {
		return new LockStatements(node.databaseType(), table, (idColumn != null) ? idColumn : this.settings.idField(),
				(versionColumn != null) ? versionColumn : this.settings.versionField());
	}

	private record Plan(AsyncSqlNode node, LockStatements statements, String table, Object id, String idColumn,
			String versionColumn, ConflictResolution strategy, int maxRetries) {
	}

	private record Updated(@Nullable Map<String, @Nullable Object> record) {

		static final Updated NONE = new Updated(null);

		static Updated of(QueryResult result) {
			return new Updated(result.one());
		}

		boolean isPresent() {
			return this.record != null;
		}

		boolean isEmpty() {
			return this.record == null;
		}

	}

	private record Conflicted(@Nullable VersionedRecord fresh) {

		static final Conflicted MISSING = new Conflicted(null);

	}

}
