package io.asyncsql.core.tx;

import java.time.Duration;

import io.asyncsql.core.pool.SharedPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Bounds the wait for statements that control a session rather than touch data: {@code BEGIN}, {@code COMMIT},
 * {@code ROLLBACK} and session settings. They have no cancel of their own, and on a connection whose peer went
 * silent (a network partition without a reset) they would wait until the operating system gives up on the socket,
 * many minutes later. A connection that leaves one unanswered is closed, so the pool drops it, and the step fails
 * with a connection failure: one the retry rules know how to treat, where a {@code COMMIT} means an unknown outcome.
 */
public final class ControlStatements {

	private ControlStatements() {
	}

	/**
	 * Runs a control statement within a bounded wait.
	 * @param connection the connection it runs on
	 * @param statement the statement's publisher, such as {@code connection.commitTransaction()}
	 * @param name what the statement is, for the message ({@code "COMMIT"})
	 * @param wait how long it may go unanswered
	 * @param timer runs the wait
	 * @param <T> the element type
	 * @return the statement, failing with an {@link R2dbcNonTransientResourceException} (no SQLState) when the
	 * connection did not answer within {@code wait}
	 */
	public static <T> Mono<T> bounded(Connection connection, Publisher<T> statement, String name, Duration wait,
			Scheduler timer) {
		// the fallback form of timeout(): the Duration form describes the whole operator chain on every subscription
		return Mono.from(statement).timeout(Mono.delay(wait, timer), Mono.defer(() -> {
			SharedPool.discard(connection);
			return Mono.error(new R2dbcNonTransientResourceException(name + " got no answer within "
					+ wait.toMillis() + " ms; the connection was closed"));
		}));
	}

}
