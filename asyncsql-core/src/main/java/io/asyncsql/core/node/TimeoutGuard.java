package io.asyncsql.core.node;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.pool.SharedPool;
import io.asyncsql.core.tx.ControlStatements;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Enforces statement timeouts. The server enforces the pool's session timeout itself ({@code statement_timeout});
 * a shorter per-query timeout is enforced by asking the server to cancel the statement, and a longer one raises the
 * session timeout for that statement. In every case a client-side backstop sends the cancel request shortly after
 * the timeout, then waits a bounded time for the statement's real outcome (so a write that finished just in time
 * is reported as done, and one that was cancelled as certainly not done); a statement that still has no outcome
 * is abandoned and its connection closed rather than returned to the pool busy. A cancel request that went out
 * but was not seen to cancel the statement could still cancel the next statement on that session, so its
 * connection is closed too.
 * <p>
 * Sessions behind a transaction-pooling proxy have no statement timeout of their own (a session setting would
 * reach the proxy's other clients): there the cancel request sent when the timeout expires is the enforcement, and
 * no statement changes a session setting.
 */
final class TimeoutGuard {

	private static final Logger logger = LoggerFactory.getLogger(TimeoutGuard.class);

	/** How long after the server's own timeout the client sends a cancel request. */
	static final Duration CANCEL_GRACE = Duration.ofMillis(250);

	/** How long after the cancel request the client waits for the statement's outcome. */
	static final Duration OUTCOME_WAIT = Duration.ofSeconds(2);

	private final Dialect dialect;

	// null when the sessions have no statement timeout
	private final @Nullable Duration serverTimeout;

	private final Scheduler timer;

	TimeoutGuard(Dialect dialect, @Nullable Duration serverTimeout, Scheduler timer) {
		this.dialect = dialect;
		this.serverTimeout = serverTimeout;
		this.timer = timer;
	}

	<T> Mono<T> guard(Connection connection, Duration timeout, Mono<T> work) {
		// without a session timeout, the cancel request at the timeout is the statement's timeout
		int comparison = (this.serverTimeout != null) ? timeout.compareTo(this.serverTimeout) : -1;
		Duration cancelAt = (comparison < 0) ? timeout : timeout.plus(CANCEL_GRACE);
		Mono<T> guarded = Mono.defer(() -> {
			CancelRequest request = new CancelRequest(connection, comparison < 0);
			// settle before the outcome travels on, so a connection to discard is closed before the pool gets it back
			return work.timeout(deadline(request, cancelAt), Mono.error(TimeoutGuard::noOutcome))
				.onErrorMap(TimeoutException.class, ex -> abandon(connection, ex))
				.doOnSuccess(value -> request.settle(null))
				.doOnError(request::settle)
				.doOnCancel(() -> request.settle(null));
		});
		if (comparison <= 0) {
			return CancellationGuard.statement(connection, guarded);
		}
		// the session timeout is shorter than this statement may run: raise it for this statement only
		return CancellationGuard.statement(connection, Mono.usingWhen(setTimeout(connection, timeout), c -> guarded,
				this::reset, (c, error) -> reset(c), this::reset));
	}

	/**
	 * Guards a stream of rows. The server's statement timeout bounds each fetch, so a timeout other than the
	 * session's is set for the stream's duration; the client-side backstop waits only for the first row (or the
	 * end), since afterwards the subscriber's demand decides when rows are fetched. Without a session timeout only
	 * the first row is bounded.
	 */
	<T> Flux<T> guardRows(Connection connection, Duration timeout, Flux<T> rows) {
		boolean cancelIsTheTimeout = this.serverTimeout == null;
		Flux<T> guarded = Flux.defer(() -> {
			CancelRequest request = new CancelRequest(connection, cancelIsTheTimeout);
			return rows.timeout(deadline(request, cancelIsTheTimeout ? timeout : timeout.plus(CANCEL_GRACE)),
					row -> Mono.never(),
					Flux.error(TimeoutGuard::noOutcome))
				.onErrorMap(TimeoutException.class, ex -> abandon(connection, ex))
				.doOnEach(signal -> request.settle(signal.getThrowable()))
				.doOnCancel(() -> request.settle(null));
		});
		if (this.serverTimeout == null || timeout.equals(this.serverTimeout)) {
			return guarded;
		}
		return Flux.usingWhen(setTimeout(connection, timeout), c -> guarded, this::reset, (c, error) -> reset(c),
				this::reset);
	}

	// One timer per statement: it sends the cancel request at cancelAt and only then starts the wait for the outcome.
	// The callers use the fallback form of timeout(), because the Duration form builds a description string from the
	// whole operator chain on every subscription, which cost more than the rest of the guard.
	private Mono<Long> deadline(CancelRequest request, Duration cancelAt) {
		return Mono.delay(cancelAt, this.timer).flatMap(tick -> {
			request.send();
			return Mono.delay(OUTCOME_WAIT, this.timer);
		});
	}

	private static TimeoutException noOutcome() {
		return new TimeoutException("no outcome " + OUTCOME_WAIT.toMillis() + " ms after the cancel request");
	}

	private Mono<Connection> setTimeout(Connection connection, Duration timeout) {
		return ControlStatements.bounded(connection, this.dialect.setStatementTimeout(connection, timeout),
				"SET statement timeout", controlWait(), this.timer).thenReturn(connection);
	}

	// setting the session timeout may take as long as a statement under the session's own timeout, and then as long
	// as a cancelled one takes to answer
	private Duration controlWait() {
		return Objects.requireNonNull(this.serverTimeout).plus(OUTCOME_WAIT);
	}

	private Mono<Void> reset(Connection connection) {
		// a failed reset means a broken connection, which the pool discards on release
		return ControlStatements.bounded(connection, this.dialect.resetStatementTimeout(connection),
				"RESET statement timeout", controlWait(), this.timer).onErrorResume(error -> Mono.empty());
	}

	private Throwable abandon(Connection connection, TimeoutException cause) {
		// the statement may still be running: close the physical connection so the pool discards it
		SharedPool.discard(connection);
		return new StatementAbandonedException(OUTCOME_WAIT, cause);
	}

	/**
	 * The cancel request of one statement. A request that was sent but did not visibly cancel the statement (it
	 * ended just in time, or failed otherwise) may still reach the server later and cancel whatever runs next on
	 * that session, so the connection is then closed instead of reused. Only when the request was the statement's
	 * timeout (shorter than the session's) and the statement ended cancelled is the request known to be used up;
	 * a backstop request sent after the server's own timeout is never known to be, since the server's cancellation
	 * looks the same.
	 */
	private final class CancelRequest {

		private static final int PENDING = 0;

		private static final int SENT = 1;

		private static final int SETTLED = 2;

		private final Connection connection;

		private final boolean primary;

		private final AtomicInteger state = new AtomicInteger(PENDING);

		CancelRequest(Connection connection, boolean primary) {
			this.connection = connection;
			this.primary = primary;
		}

		void send() {
			if (this.state.compareAndSet(PENDING, SENT)) {
				TimeoutGuard.this.dialect.cancelStatement(this.connection)
					.subscribe(null, error -> logger.debug("Cancel request failed: {}", error.toString()));
			}
		}

		void settle(@Nullable Throwable failure) {
			if (this.state.compareAndSet(PENDING, SETTLED) || failure instanceof StatementAbandonedException
					|| (this.primary && isCancellation(failure))) {
				return;
			}
			if (this.state.compareAndSet(SENT, SETTLED)) {
				logger.debug("A cancel request was sent but the statement ended otherwise; closing the connection");
				SharedPool.discard(this.connection);
			}
		}

		private boolean isCancellation(@Nullable Throwable failure) {
			for (Throwable current = failure; current != null; current = current.getCause()) {
				if (current instanceof R2dbcException r2dbc
						&& TimeoutGuard.this.dialect.isCancellation(r2dbc.getSqlState(), r2dbc.getErrorCode())) {
					return true;
				}
				if (current.getCause() == current) {
					break;
				}
			}
			return false;
		}

	}

}
