package io.asyncsql.core;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.TransientDataAccessResourceException;

/**
 * No connection became free within the pool's {@code max-acquire-time}. A Spring
 * {@code TransientDataAccessResourceException}: the database never saw the call, and a later one may get a
 * connection.
 */
public class PoolExhaustedException extends TransientDataAccessResourceException implements AsyncSqlException {

	private final FailureOrigin origin;

	private final String poolName;

	/**
	 * Creates the exception.
	 * @param nodeName the node
	 * @param poolName the pool
	 * @param maxAcquireTime how long the caller waited
	 * @param attempts how many attempts were made
	 * @param cause the pool's timeout
	 */
	public PoolExhaustedException(@Nullable String nodeName, String poolName, Duration maxAcquireTime, int attempts,
			@Nullable Throwable cause) {
		super("No connection available from pool '" + poolName + "' within max-acquire-time " + maxAcquireTime
				+ " (node '" + nodeName + "'); raise pool.max-size or shorten what holds connections", cause);
		this.origin = new FailureOrigin(nodeName, null, attempts);
		this.poolName = poolName;
	}

	/**
	 * The exhausted pool.
	 * @return the pool name
	 */
	public String poolName() {
		return this.poolName;
	}

	@Override
	public FailureOrigin origin() {
		return this.origin;
	}

}
