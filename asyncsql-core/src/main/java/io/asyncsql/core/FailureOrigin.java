package io.asyncsql.core;

import org.jspecify.annotations.Nullable;

/**
 * Where a failure happened: what every {@link AsyncSqlException} carries.
 *
 * @param nodeName the node, or {@code null} when the failure is not tied to one
 * @param sqlState the SQLState the database or driver reported, or {@code null}
 * @param attempts how many times the call was attempted ({@code >= 1} once it ran, 0 when refused before)
 */
public record FailureOrigin(@Nullable String nodeName, @Nullable String sqlState, int attempts) {

}
