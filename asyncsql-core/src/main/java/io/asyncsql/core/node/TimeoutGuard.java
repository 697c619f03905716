package io.asyncsql.core.node;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.asyncsql.core.dialect.Dialect;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Enforces statement timeouts. The server enforces the pool's session timeout itself ({@code statement_timeout});
 * a shorter per-query timeout is enforced by asking the server to cancel the statement, and a longer one raises the
 * session timeout for that statement. In every case a client-side backstop sends the cancel request shortly after
 * the timeout, then waits a bounded time for the statement's real outcome (so a write that finished just in time
 * is reported as done, and one that was cancelled as certainly not done); a statement that still has no outcome
 * is abandoned and its connection closed rather than returned to the pool busy.
 */
final class TimeoutGuard {

	private static final Logger logger = LoggerFactory.getLogger(TimeoutGuard.class);

	/** How long after the server's own timeout the client sends a cancel request. */
	static final Duration CANCEL_GRACE = Duration.ofMillis(250);

	/** How long after the cancel request the client waits for the statement's outcome. */
	static final Duration OUTCOME_WAIT = Duration.ofSeconds(2);

	private final Dialect dialect;

	private final Duration serverTimeout;

	private final Scheduler timer;

	TimeoutGuard(Dialect dialect, Duration serverTimeout, Scheduler timer) {
		this.dialect = dialect;
		this.serverTimeout = serverTimeout;
		this.timer = timer;
	}

	<T> Mono<T> guard(Connection connection, Duration timeout, Mono<T> work) {
		int comparison = timeout.compareTo(this.serverTimeout);
		Duration cancelAt = (comparison < 0) ? timeout : timeout.plus(CANCEL_GRACE);
		// One timer per statement: it sends the cancel request at cancelAt and only then starts the wait for the
		// outcome. The fallback form of timeout() is used because the Duration form builds a description string
		// from the whole operator chain on every subscription, which cost more than the rest of the guard.
		Mono<Long> deadline = Mono.delay(cancelAt, this.timer).flatMap(tick -> {
			cancel(connection);
			return Mono.delay(OUTCOME_WAIT, this.timer);
		});
		Mono<T> guarded = work.timeout(deadline, Mono.error(() -> new TimeoutException("no outcome "
				+ OUTCOME_WAIT.toMillis() + " ms after the cancel request")))
			.onErrorMap(TimeoutException.class, ex -> abandon(connection, ex));
		if (comparison <= 0) {
			return guarded;
		}
		// the session timeout is shorter than this statement may run: raise it for this statement only
		return Mono.usingWhen(this.dialect.setStatementTimeout(connection, timeout).thenReturn(connection),
				c -> guarded, this::reset, (c, error) -> reset(c), this::reset);
	}

	private Mono<Void> reset(Connection connection) {
		// a failed reset means a broken connection, which the pool discards on release
		return this.dialect.resetStatementTimeout(connection).onErrorResume(error -> Mono.empty());
	}

	private void cancel(Connection connection) {
		this.dialect.cancelStatement(connection)
			.subscribe(null, error -> logger.debug("Cancel request failed: {}", error.toString()));
	}

	private Throwable abandon(Connection connection, TimeoutException cause) {
		// the statement may still be running: close the physical connection so the pool discards it
		Connection physical = connection;
		while (physical instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection inner) {
			physical = inner;
		}
		Mono.from(physical.close()).subscribe(null, error -> logger.debug("Close failed: {}", error.toString()));
		return new StatementAbandonedException(OUTCOME_WAIT, cause);
	}

}
