package io.asyncsql.benchmarks.micro;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Type;

/**
 * An R2DBC row of already decoded values ({@code id bigint, name text, balance bigint, updated_at timestamptz}),
 * so that a microbenchmark measures the library's mapping and nothing of a driver's decoding.
 */
final class FakeRow implements Row, Result.RowSegment {

	static final Metadata METADATA = new Metadata(List.of(new Column("id", R2dbcType.BIGINT),
			new Column("name", R2dbcType.VARCHAR), new Column("balance", R2dbcType.BIGINT),
			new Column("updated_at", R2dbcType.TIMESTAMP_WITH_TIME_ZONE)));

	private final Object[] values;

	FakeRow(long id) {
		this.values = new Object[] { id, "account-" + id, 1000L + id % 1000,
				OffsetDateTime.of(2025, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).plusSeconds(id) };
	}

	@Override
	public Row row() {
		return this;
	}

	@Override
	public RowMetadata getMetadata() {
		return METADATA;
	}

	@Override
	public <T> T get(int index, Class<T> type) {
		return type.cast(this.values[index]);
	}

	@Override
	public <T> T get(String name, Class<T> type) {
		for (int i = 0; i < METADATA.columns.size(); i++) {
			if (METADATA.columns.get(i).getName().equalsIgnoreCase(name)) {
				return get(i, type);
			}
		}
		throw new NoSuchElementException(name);
	}

	record Column(String getName, Type getType) implements ColumnMetadata {
	}

	record Metadata(List<Column> columns) implements RowMetadata {

		@Override
		public ColumnMetadata getColumnMetadata(int index) {
			return this.columns.get(index);
		}

		@Override
		public ColumnMetadata getColumnMetadata(String name) {
			for (Column column : this.columns) {
				if (column.getName().equalsIgnoreCase(name)) {
					return column;
				}
			}
			throw new NoSuchElementException(name);
		}

		@Override
		public List<? extends ColumnMetadata> getColumnMetadatas() {
			return this.columns;
		}

		@Override
		public boolean contains(String name) {
			return this.columns.stream().anyMatch(c -> c.getName().equalsIgnoreCase(name));
		}

	}

}
