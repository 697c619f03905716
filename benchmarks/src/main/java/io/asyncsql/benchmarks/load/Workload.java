package io.asyncsql.benchmarks.load;

import java.util.Locale;

/**
 * The workloads every client runs. Each is a statement shape users run all day; the harness owns the tables.
 */
enum Workload {

	/** {@code SELECT ... WHERE id = ?} on a table of {@code --rows} rows, a random id each time. */
	POINT_SELECT("point-select", "point select by primary key"),

	/** {@code UPDATE counters SET n = n + 1 WHERE id = ?} in autocommit (the node's AUTO mode). */
	UPDATE("update", "single-row update"),

	/** Two balance updates and one insert into a log, in one transaction (the transfer example). */
	TRANSFER("transfer", "transfer transaction (2 updates + 1 insert)"),

	/** {@code SELECT ... WHERE id BETWEEN ? AND ? + 99}: 100 rows mapped per call. */
	SELECT_100("select-100", "100-row select");

	private final String id;

	private final String title;

	Workload(String id, String title) {
		this.id = id;
		this.title = title;
	}

	/** @return the command-line name */
	String id() {
		return this.id;
	}

	/** @return the report title */
	String title() {
		return this.title;
	}

	/**
	 * The workload with a command-line name.
	 * @param id the name
	 * @return the workload
	 * @throws IllegalArgumentException for an unknown name
	 */
	static Workload of(String id) {
		for (Workload workload : values()) {
			if (workload.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
				return workload;
			}
		}
		throw new IllegalArgumentException("unknown workload '" + id + "'; known: point-select, update, transfer, "
				+ "select-100, hot-row");
	}

}
