package io.asyncsql.core;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link QueryResult#toString()} shows: the rows, bounded, and never the SQL text.
 */
class QueryResultTests {

	@Test
	void showsTheRowsInColumnOrder() {
		QueryResult result = result(List.of(row("id", 1, "name", "Ada"), row("id", 2, "name", null)), 2,
				List.of("id", "name"), "SELECT id, name FROM users WHERE password = 'hunter2'");
		assertThat(result).hasToString(
				"QueryResult[postgresql, 2 rows, columns=[id, name], rows=[{id=1, name=Ada}, {id=2, name=null}], elapsed=12ms]");
	}

	@Test
	void boundsRowsAndValuesAndLeavesTheSqlOut() {
		List<Map<String, @Nullable Object>> rows = new ArrayList<>();
		for (int i = 1; i <= 8; i++) {
			rows.add(row("id", i, "note", "x".repeat(100)));
		}
		rows.set(0, row("id", 1, "note", new byte[16]));
		rows.set(1, row("id", 2, "note", ByteBuffer.allocate(4)));
		String text = result(rows, 8, List.of("id", "note"), "SELECT 'secret literal' AS note").toString();
		assertThat(text).startsWith("QueryResult[postgresql, 8 rows, columns=[id, note], rows=[{id=1, note=byte[16]}, "
				+ "{id=2, note=byte[4]}, {id=3, note=" + "x".repeat(64) + "...}")
			.contains("{id=5, note=").doesNotContain("{id=6").contains(", ... 3 more], elapsed=12ms]")
			.doesNotContain("secret").doesNotContain("x".repeat(65));
	}

	@Test
	void statementsWithoutAResultSetShowTheAffectedRows() {
		assertThat(result(List.of(), 1, List.of(), "UPDATE accounts SET balance = 0"))
			.hasToString("QueryResult[postgresql, 1 row, elapsed=12ms]");
	}

	private static QueryResult result(List<Map<String, @Nullable Object>> rows, long rowCount, List<String> columns,
			String sql) {
		return new QueryResult(rows, rowCount, columns, sql, DatabaseType.POSTGRESQL, FetchMode.ALL,
				Duration.ofMillis(12));
	}

	private static Map<String, @Nullable Object> row(String column, Object value, String other,
			@Nullable Object otherValue) {
		Map<String, @Nullable Object> row = new LinkedHashMap<>();
		row.put(column, value);
		row.put(other, otherValue);
		return row;
	}

}
