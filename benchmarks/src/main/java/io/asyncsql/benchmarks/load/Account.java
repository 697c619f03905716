package io.asyncsql.benchmarks.load;

import java.time.OffsetDateTime;

import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;

/**
 * A row of the accounts table as the hand-written R2DBC clients map it.
 *
 * @param id the id
 * @param name the name
 * @param balance the balance
 * @param updatedAt the last change
 */
record Account(long id, String name, long balance, OffsetDateTime updatedAt) {

	/**
	 * Maps an R2DBC row.
	 * @param row the row
	 * @param metadata unused
	 * @return the account
	 */
	static Account of(Row row, RowMetadata metadata) {
		return new Account(row.get(0, Long.class), row.get(1, String.class), row.get(2, Long.class),
				row.get(3, OffsetDateTime.class));
	}

}
