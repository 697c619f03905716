package io.asyncsql.core.node;

import java.util.concurrent.atomic.AtomicBoolean;

import io.asyncsql.core.pool.SharedPool;
import io.r2dbc.spi.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Keeps a cancelled statement from poisoning its connection.
 * <p>
 * r2dbc-postgresql sends a statement as soon as its {@code execute()} is subscribed (at once for statements
 * without parameters) and hands out the response as a result to read. A subscriber cancelled after the statement
 * went out but before it read that result leaves the response at the head of the connection with nobody to drain
 * it: every later statement on the connection queues behind it and never completes, while the pool sees an idle,
 * healthy connection. Once rows flow, the driver ends an abandoned result itself. So a statement cancelled while in
 * flight, or a row stream cancelled before its first row, closes the physical connection: the pool discards it on
 * release and opens a fresh one, and in a transaction the server rolls back. A cancelled call costs a reconnect;
 * a poisoned connection would cost every call that later drew it.
 */
final class CancellationGuard {

	private static final Logger logger = LoggerFactory.getLogger(CancellationGuard.class);

	private CancellationGuard() {
	}

	/**
	 * Guards a statement whose result is read as a whole.
	 * @param connection the connection it runs on
	 * @param statement sends the statement and reads its result
	 * @param <T> the result type
	 * @return the statement, discarding the connection when cancelled before it ended
	 */
	static <T> Mono<T> statement(Connection connection, Mono<T> statement) {
		return Mono.defer(() -> {
			AtomicBoolean ended = new AtomicBoolean();
			return statement.doOnEach(signal -> ended.set(true)).doFinally(signal -> {
				if (signal == SignalType.CANCEL && !ended.get()) {
					discard(connection);
				}
			});
		});
	}

	/**
	 * Guards a stream of rows.
	 * @param connection the connection it runs on
	 * @param rows sends the statement and streams its rows
	 * @param <T> the row type
	 * @return the rows, discarding the connection when cancelled before the first row or the end
	 */
	static <T> Flux<T> rows(Connection connection, Flux<T> rows) {
		return Flux.defer(() -> {
			AtomicBoolean flowing = new AtomicBoolean();
			return rows.doOnEach(signal -> {
				if (!flowing.get()) {
					flowing.set(true);
				}
			}).doFinally(signal -> {
				if (signal == SignalType.CANCEL && !flowing.get()) {
					discard(connection);
				}
			});
		});
	}

	// after the cancel travelled upstream, so the driver's own cancellation comes first and nothing fails downstream
	private static void discard(Connection connection) {
		logger.debug("Closing a connection whose statement was cancelled in flight");
		SharedPool.discard(connection);
	}

}
