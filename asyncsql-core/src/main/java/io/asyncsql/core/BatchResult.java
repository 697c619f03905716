package io.asyncsql.core;

/**
 * The outcome of {@link SqlOperations#executeMany}: one statement run with many parameter sets.
 *
 * @param affectedRows the total of rows affected as reported by the database (not the number of parameter sets)
 * @param batchSize the number of parameter sets
 */
public record BatchResult(long affectedRows, int batchSize) {
}
