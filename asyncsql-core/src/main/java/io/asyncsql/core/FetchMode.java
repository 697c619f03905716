package io.asyncsql.core;

/**
 * How many rows of a result a call materializes. Honoured the same way in every {@link TransactionMode}.
 */
public enum FetchMode {

	/** The first row, or {@code null} when there is none. Rows after the first are not mapped. */
	ONE,

	/** Every row of the result. The default. */
	ALL,

	/** The first {@code fetchSize} rows; a fetch size is required. */
	MANY

}
