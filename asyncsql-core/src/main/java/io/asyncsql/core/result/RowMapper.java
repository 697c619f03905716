package io.asyncsql.core.result;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.dialect.Dialect;
import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Row;
import org.jspecify.annotations.Nullable;

/**
 * Maps the rows of one result to ordered maps of column name to value. Column names are read from the first row's
 * metadata and reused for the rest of the result. Not thread-safe: one instance per result.
 */
public final class RowMapper {

	private final Dialect dialect;

	private String @Nullable [] names;

	private String @Nullable [] types;

	/**
	 * Creates a mapper.
	 * @param dialect converts driver values into row values
	 */
	public RowMapper(Dialect dialect) {
		this.dialect = dialect;
	}

	/**
	 * Maps a row; must be called while the row is valid (inside the driver's mapping callback).
	 * @param row the row
	 * @return the values by column name, in column order
	 */
	public Map<String, @Nullable Object> map(Row row) {
		String[] columns = this.names;
		if (columns == null) {
			List<? extends ColumnMetadata> metadata = row.getMetadata().getColumnMetadatas();
			columns = new String[metadata.size()];
			String[] types = new String[columns.length];
			for (int i = 0; i < columns.length; i++) {
				columns[i] = metadata.get(i).getName();
				types[i] = metadata.get(i).getType().getName();
			}
			this.names = columns;
			this.types = types;
		}
		String[] types = this.types;
		Map<String, @Nullable Object> values = new LinkedHashMap<>((int) (columns.length / 0.75f) + 1);
		for (int i = 0; i < columns.length; i++) {
			Object value = row.get(i);
			values.put(columns[i], (value != null) ? this.dialect.readColumn(value, types[i]) : null);
		}
		return values;
	}

	/** @return the column names seen so far, empty before the first row */
	public List<String> columns() {
		return (this.names != null) ? List.of(this.names) : List.of();
	}

}
