package io.asyncsql.core.pool;

/**
 * A snapshot of a pool's connections.
 *
 * @param acquired connections currently handed out
 * @param allocated connections open (handed out or idle)
 * @param idle connections open and free
 * @param pendingAcquire callers waiting for a connection
 * @param maxAllocated the most connections the pool may open
 */
public record PoolStats(int acquired, int allocated, int idle, int pendingAcquire, int maxAllocated) {
}
