package io.asyncsql.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one statement. Rows are maps that keep the column order of the result.
 * <p>
 * {@link #rowCount()} is the number of rows returned for queries and {@code RETURNING} statements and the number
 * of rows affected for {@code INSERT}/{@code UPDATE}/{@code DELETE} without {@code RETURNING}.
 */
public final class QueryResult {

	private static final int ROWS_SHOWN = 5;

	private static final int VALUE_CHARACTERS = 64;

	private final List<Map<String, @Nullable Object>> rows;

	private final long rowCount;

	private final List<String> columns;

	private final String query;

	private final DatabaseType databaseType;

	private final FetchMode fetchMode;

	private final Duration elapsed;

	/**
	 * Creates a result.
	 * @param rows the materialized rows (kept as given, not copied)
	 * @param rowCount rows returned or affected, see the class comment
	 * @param columns the column names in result order
	 * @param query the SQL text as written by the caller
	 * @param databaseType the database that produced the result
	 * @param fetchMode the mode the rows were fetched with
	 * @param elapsed time from sending the statement to the last row
	 */
	public QueryResult(List<Map<String, @Nullable Object>> rows, long rowCount, List<String> columns, String query,
			DatabaseType databaseType, FetchMode fetchMode, Duration elapsed) {
		this.rows = rows;
		this.rowCount = rowCount;
		this.columns = columns;
		this.query = query;
		this.databaseType = databaseType;
		this.fetchMode = fetchMode;
		this.elapsed = elapsed;
	}

	/** @return the materialized rows: at most one for {@link FetchMode#ONE}, at most fetch size for MANY */
	public List<Map<String, @Nullable Object>> rows() {
		return this.rows;
	}

	/** @return the first row, or {@code null} when the result has none */
	public @Nullable Map<String, @Nullable Object> one() {
		return this.rows.isEmpty() ? null : this.rows.get(0);
	}

	/** @return rows returned (queries, {@code RETURNING}) or rows affected (plain DML) */
	public long rowCount() {
		return this.rowCount;
	}

	/** @return the result's column names in order; empty for statements without a result set */
	public List<String> columns() {
		return this.columns;
	}

	/** @return the SQL text as the caller wrote it */
	public String query() {
		return this.query;
	}

	public DatabaseType databaseType() {
		return this.databaseType;
	}

	public FetchMode fetchMode() {
		return this.fetchMode;
	}

	/** @return time from sending the statement until its last row was read */
	public Duration elapsed() {
		return this.elapsed;
	}

	/**
	 * The result in the reference shape: {@code {"result": {"data": ..., "row_count": n, "columns": [...],
	 * "query": "...", "database_type": "postgresql"}}} where {@code data} is the row (or {@code null}) for
	 * {@link FetchMode#ONE} and the list of rows otherwise.
	 * @return a new mutable map
	 */
	public Map<String, Object> toMap() {
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		result.put("data", (this.fetchMode == FetchMode.ONE) ? one() : new ArrayList<>(this.rows));
		result.put("row_count", this.rowCount);
		result.put("columns", new ArrayList<>(this.columns));
		result.put("query", this.query);
		result.put("database_type", this.databaseType.id());
		Map<String, Object> outer = new LinkedHashMap<>();
		outer.put("result", result);
		return outer;
	}

	/**
	 * A short description for logs and debugging: the database, the row count, the columns, the first five rows
	 * (each value cut at 64 characters, binary values shown as their length) and the elapsed time. The SQL text is left out, since its literals may hold what should not be
	 * logged.
	 * @return such as {@code QueryResult[postgresql, 2 rows, columns=[id, name], rows=[{id=1, name=Ada}, {id=2,
	 * name=Grace}], elapsed=3ms]}
	 */
	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("QueryResult[").append(this.databaseType.id()).append(", ")
			.append(this.rowCount).append((this.rowCount == 1) ? " row" : " rows");
		if (!this.columns.isEmpty()) {
			text.append(", columns=").append(this.columns).append(", rows=[");
			int shown = Math.min(ROWS_SHOWN, this.rows.size());
			for (int i = 0; i < shown; i++) {
				text.append((i > 0) ? ", " : "").append('{');
				int column = 0;
				for (Map.Entry<String, @Nullable Object> value : this.rows.get(i).entrySet()) {
					text.append((column++ > 0) ? ", " : "").append(value.getKey()).append('=')
						.append(shortText(value.getValue()));
				}
				text.append('}');
			}
			if (this.rows.size() > shown) {
				text.append(", ... ").append(this.rows.size() - shown).append(" more");
			}
			text.append(']');
		}
		return text.append(", elapsed=").append(this.elapsed.toMillis()).append("ms]").toString();
	}

	private static String shortText(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return "byte[" + bytes.length + "]";
		}
		if (value instanceof ByteBuffer buffer) {
			return "byte[" + buffer.remaining() + "]";
		}
		String text = String.valueOf(value);
		return (text.length() <= VALUE_CHARACTERS) ? text : text.substring(0, VALUE_CHARACTERS) + "...";
	}

}
