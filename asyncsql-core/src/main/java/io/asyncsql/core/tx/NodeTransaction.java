package io.asyncsql.core.tx;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.asyncsql.core.BatchResult;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionStateException;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.core.observation.AsyncSqlObservations;
import io.asyncsql.core.observation.TransactionObservationContext;
import io.asyncsql.core.pool.SharedPool;
import io.micrometer.observation.Observation;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.ValidationDepth;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.r2dbc.connection.ConnectionHolder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.Context;

/**
 * A transaction that owns a pooled connection from {@code BEGIN} until it ends. It ends by commit, by rollback,
 * by a failed statement (rolled back at once, since the database would refuse everything after it anyway), or by
 * its timeout (rolled back, with a warning, so an abandoned transaction never keeps a connection). The connection
 * is returned to the pool exactly once, whichever way it ends, also when the caller cancels meanwhile; a rollback
 * that gets no answer within {@value #ROLLBACK_WAIT_SECONDS} seconds drops the connection instead.
 */
public final class NodeTransaction implements SqlTransaction {

	private static final Logger logger = LoggerFactory.getLogger(NodeTransaction.class);

	private static final long ROLLBACK_WAIT_SECONDS = 10;

	/** How long a rollback may take before the connection is considered broken and dropped. */
	static final Duration ROLLBACK_WAIT = Duration.ofSeconds(ROLLBACK_WAIT_SECONDS);

	private enum State {

		ACTIVE("active"), ENDING("ending"), COMMITTED("committed"), ROLLED_BACK("rolled back"),
		FAILED("rolled back after a failed statement"), TIMED_OUT("rolled back after its transaction timeout");

		private final String description;

		State(String description) {
			this.description = description;
		}

	}

	private final String node;

	private final ConnectionBoundOperations operations;

	private final Connection connection;

	private final NodeMetrics metrics;

	private final Function<Throwable, ? extends DataAccessException> commitFailure;

	private final AtomicReference<State> state = new AtomicReference<>(State.ACTIVE);

	private final AtomicBoolean released = new AtomicBoolean();

	// guards inFlight, drained and every change away from ACTIVE
	private final Object admission = new Object();

	private int inFlight;

	private Sinks.@Nullable Empty<Void> drained;

	private final Scheduler timer;

	private final Disposable timeoutTask;

	private final Duration commitWait;

	private final @Nullable Observation observation;

	private final SharedPool pool;

	// what Spring's DatabaseClient and R2dbcTransactionManager find for the pool while the transaction runs
	private final ConnectionHolder springHolder;

	private final UnaryOperator<Mono<Void>> committing;

	/**
	 * Wraps a connection on which {@code BEGIN} has succeeded.
	 * @param node the node name
	 * @param pool the pool the connection came from
	 * @param operations runs statements on the connection
	 * @param connection the pooled connection, owned from now on
	 * @param metrics counts commits and rollbacks
	 * @param timeout how long the transaction may stay open
	 * @param commitWait how long {@code COMMIT} may go unanswered before the connection is closed and the outcome
	 * reported unknown
	 * @param timer runs the timeouts
	 * @param commitFailure translates a failed COMMIT (a broken connection means an unknown outcome)
	 * @param observation the started {@code asyncsql.transaction} observation, parent of the statements run in the
	 * transaction and stopped when it ends, or {@code null}
	 * @param committing wraps the {@code COMMIT}, which is when the transaction's writes become visible (the node
	 * counts it as a write for read-your-writes)
	 */
	public NodeTransaction(String node, SharedPool pool, ConnectionBoundOperations operations, Connection connection,
			NodeMetrics metrics, Duration timeout, Duration commitWait, Scheduler timer,
			Function<Throwable, ? extends DataAccessException> commitFailure, @Nullable Observation observation,
			UnaryOperator<Mono<Void>> committing) {
		this.committing = committing;
		this.node = node;
		this.pool = pool;
		this.operations = operations;
		this.connection = connection;
		this.springHolder = new ConnectionHolder(connection, true);
		this.metrics = metrics;
		this.commitFailure = commitFailure;
		this.observation = observation;
		this.timer = timer;
		this.commitWait = commitWait;
		this.timeoutTask = timer.schedule(() -> expire(timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public Mono<QueryResult> execute(Query query) {
		return Mono.defer(() -> {
			TransactionStateException inactive = admit("execute a statement");
			if (inactive != null) {
				return Mono.error(inactive);
			}
			return finishing(this.operations.execute(this.connection, query)).onErrorResume(this::failed);
		}).contextWrite(this::publish);
	}

	@Override
	public Flux<Map<String, @Nullable Object>> stream(Query query) {
		return Flux.defer(() -> {
			TransactionStateException inactive = admit("stream a query");
			if (inactive != null) {
				return Flux.error(inactive);
			}
			return finishing(this.operations.stream(this.connection, query))
				.onErrorResume(error -> this.<Map<String, @Nullable Object>>failed(error).flux());
		}).contextWrite(this::publish);
	}

	@Override
	public Mono<BatchResult> executeMany(String sql, List<? extends Map<String, ?>> paramSets) {
		return Mono.defer(() -> {
			TransactionStateException inactive = admit("execute a batch");
			if (inactive != null) {
				return Mono.error(inactive);
			}
			return finishing(this.operations.executeMany(this.connection, sql, paramSets)).onErrorResume(this::failed);
		}).contextWrite(this::publish);
	}

	@Override
	public <T> Flux<T> within(Publisher<T> work) {
		Objects.requireNonNull(work, "work must not be null");
		return Flux.defer(() -> {
			TransactionStateException inactive = admit("run work in it");
			if (inactive != null) {
				return Flux.error(inactive);
			}
			// a statement the database refused may have aborted the transaction, as a node statement would have
			return finishing(Flux.from(work)).onErrorResume(error -> isDatabaseFailure(error) ? this.<T>failed(error).flux()
					: Flux.error(error));
		}).contextWrite(context -> publish(ActiveTransactions.publish(context, this.pool, this)));
	}

	@Override
	public Mono<Void> commit() {
		return Mono.defer(() -> {
			if (!end(State.ENDING)) {
				return Mono.error(stateError("commit"));
			}
			if (this.springHolder.isRollbackOnly()) {
				// a Spring transaction that took part in this one failed, and its caller carried on
				return rollbackAndRelease(State.ROLLED_BACK).then(Mono.error(new TransactionStateException("Node '"
						+ this.node + "': rolled back instead of committing: a Spring-managed transaction taking part in "
						+ "this one failed and marked it rollback-only", this.node)));
			}
			// a connection already closed (a statement cancelled in flight discards it) never got the COMMIT: the
			// server rolled the transaction back, and saying "outcome unknown" would be wrong
			// statements admitted before the commit began finish first: none may reach the connection after COMMIT
			return this.committing.apply(statementsFinished()
				.then(Mono.defer(() -> Mono.from(this.connection.validate(ValidationDepth.LOCAL))))
				.onErrorReturn(false)
				.flatMap(open -> open
						? ControlStatements.bounded(this.connection, this.connection.commitTransaction(), "COMMIT",
								this.commitWait, this.timer).onErrorMap(this.commitFailure::apply)
						: Mono.error(closedBeforeCommit())))
				.then(Mono.defer(() -> {
					this.state.set(State.COMMITTED);
					this.metrics.recordTransaction(true);
					return release();
				}))
				.onErrorResume(error -> {
					this.state.set(State.ROLLED_BACK);
					this.metrics.recordTransaction(false);
					return release().then(Mono.error(error));
				})
				.doOnCancel(this::releaseQuietly);
		});
	}

	@Override
	public Mono<Void> rollback() {
		return Mono.defer(() -> {
			State current = this.state.get();
			// an ending in progress (typically a commit whose caller cancelled) returns the connection itself
			if (current == State.ROLLED_BACK || current == State.FAILED || current == State.TIMED_OUT
					|| current == State.ENDING) {
				return Mono.empty();
			}
			if (!end(State.ENDING)) {
				return (this.state.get() == State.ENDING) ? Mono.empty() : Mono.error(stateError("roll back"));
			}
			return rollbackAndRelease(State.ROLLED_BACK).doOnCancel(this::releaseQuietly);
		});
	}

	/**
	 * Rolls back when the transaction is still active, and otherwise does nothing: for a caller that cancels, which
	 * may come just after the commit went through.
	 * @return completes when the transaction has ended
	 */
	public Mono<Void> rollbackIfActive() {
		return Mono.defer(() -> (this.state.get() == State.COMMITTED) ? Mono.empty() : rollback());
	}

	@Override
	public boolean isActive() {
		return this.state.get() == State.ACTIVE;
	}

	/**
	 * Makes this transaction's observation the parent of observations made in a context.
	 * @param context a subscriber context
	 * @return the context, extended when the transaction is observed
	 */
	public Context publish(Context context) {
		return (this.observation != null) ? context.put(AsyncSqlObservations.CONTEXT_KEY, this.observation) : context;
	}

	/**
	 * The holder under which the transaction's connection is bound in Spring's transaction synchronization.
	 * @return the holder, the same for the transaction's whole life
	 */
	ConnectionHolder springHolder() {
		return this.springHolder;
	}

	/**
	 * The connection for a call that joins this transaction.
	 * @return the connection
	 * @throws TransactionStateException when the transaction has ended
	 */
	Connection connectionForJoin() {
		TransactionStateException inactive = checkActive("join it");
		if (inactive != null) {
			throw inactive;
		}
		return this.connection;
	}

	private <T> Mono<T> failed(Throwable error) {
		// refused before reaching the database: the transaction is intact
		if (error instanceof QueryValidationException || error instanceof ParameterBindingException) {
			return Mono.error(error);
		}
		if (end(State.FAILED)) {
			// the caller may cancel while the rollback runs: the connection must go back all the same
			return rollbackAndRelease(State.FAILED).doOnCancel(this::releaseQuietly).then(Mono.error(error));
		}
		return Mono.error(error);
	}

	private static boolean isDatabaseFailure(Throwable error) {
		for (Throwable current = error; current != null; current = current.getCause()) {
			if (current instanceof R2dbcException || current instanceof DataAccessException) {
				return !(current instanceof QueryValidationException || current instanceof ParameterBindingException);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private void expire(Duration timeout) {
		if (end(State.TIMED_OUT)) {
			logger.warn("Node '{}': transaction still open after its transaction-timeout of {}; rolling it back and "
					+ "returning its connection", this.node, timeout);
			rollbackAndRelease(State.TIMED_OUT).subscribe(null,
					error -> logger.debug("Rollback of expired transaction failed: {}", error.toString()));
		}
	}

	private Mono<Void> rollbackAndRelease(State end) {
		// deferred: a connection already closed by the pool fails on the call itself; one that does not answer is
		// dropped, and the server rolls back when the session ends
		return statementsFinished().then(ControlStatements.bounded(this.connection,
				Mono.defer(() -> Mono.from(this.connection.rollbackTransaction())), "ROLLBACK", ROLLBACK_WAIT, this.timer))
			.onErrorResume(error -> {
				// the pool rolls back again or discards the connection on release
				logger.debug("Node '{}': rollback failed: {}", this.node, error.toString());
				return Mono.empty();
			})
			.then(Mono.defer(() -> {
				this.state.set(end);
				this.metrics.recordTransaction(false);
				return release();
			}));
	}

	private Mono<Void> release() {
		if (!this.released.compareAndSet(false, true)) {
			return Mono.empty();
		}
		this.timeoutTask.dispose();
		// a Spring call that still holds the context afterwards gets a connection of its own, not this one
		this.springHolder.clear();
		if (this.observation != null) {
			if (this.observation.getContext() instanceof TransactionObservationContext context) {
				context.setCommitted(this.state.get() == State.COMMITTED);
			}
			this.observation.stop();
		}
		// once started, returning the connection runs to its end even if the caller cancels meanwhile: a release
		// cut short leaves the connection counted as acquired for good, and nobody would start it again
		Sinks.Empty<Void> returned = Sinks.empty();
		Mono.defer(() -> Mono.from(this.connection.close())).subscribe(null, returned::tryEmitError,
				returned::tryEmitEmpty);
		return returned.asMono();
	}

	private void releaseQuietly() {
		release().subscribe(null, error -> logger.debug("Release failed: {}", error.toString()));
	}

	/**
	 * Lets a statement onto the connection while the transaction is active; admission and the start of an ending
	 * exclude each other, so a statement is either refused or counted before {@code COMMIT}/{@code ROLLBACK} waits.
	 */
	private @Nullable TransactionStateException admit(String action) {
		synchronized (this.admission) {
			if (this.state.get() != State.ACTIVE) {
				return stateError(action);
			}
			this.inFlight++;
			return null;
		}
	}

	/** Ends the transaction's active phase; from now on no statement is admitted. */
	private boolean end(State next) {
		synchronized (this.admission) {
			return this.state.compareAndSet(State.ACTIVE, next);
		}
	}

	// counted as finished on its first terminal signal or cancel, before a failure reaches failed(): a statement
	// that fails rolls the transaction back itself, and must not wait for its own end
	private <T> Mono<T> finishing(Mono<T> statement) {
		return Mono.defer(() -> {
			AtomicBoolean done = new AtomicBoolean();
			Runnable finished = () -> finished(done);
			return statement.doOnSuccess(value -> finished.run())
				.doOnError(error -> finished.run())
				.doOnCancel(finished);
		});
	}

	private <T> Flux<T> finishing(Flux<T> statement) {
		return Flux.defer(() -> {
			AtomicBoolean done = new AtomicBoolean();
			Runnable finished = () -> finished(done);
			return statement.doOnTerminate(finished).doOnCancel(finished);
		});
	}

	private void finished(AtomicBoolean done) {
		if (!done.compareAndSet(false, true)) {
			return;
		}
		Sinks.Empty<Void> waiting = null;
		synchronized (this.admission) {
			this.inFlight--;
			if (this.inFlight == 0) {
				waiting = this.drained;
				this.drained = null;
			}
		}
		if (waiting != null) {
			waiting.tryEmitEmpty();
		}
	}

	/**
	 * Completes once the statements admitted before the ending have finished (a cancelled one closes the
	 * connection, so what follows fails harmlessly); after {@link #ROLLBACK_WAIT} the ending goes ahead, since a
	 * statement running that long has long reached the connection ahead of it.
	 */
	private Mono<Void> statementsFinished() {
		return Mono.defer(() -> {
			Sinks.Empty<Void> waiting;
			synchronized (this.admission) {
				if (this.inFlight == 0) {
					return Mono.empty();
				}
				if (this.drained == null) {
					this.drained = Sinks.empty();
				}
				waiting = this.drained;
			}
			return waiting.asMono()
				.timeout(ROLLBACK_WAIT, this.timer)
				.onErrorResume(error -> {
					logger.debug("Node '{}': statements still running after {}; ending the transaction anyway",
							this.node, ROLLBACK_WAIT);
					return Mono.empty();
				});
		});
	}

	private @Nullable TransactionStateException checkActive(String action) {
		State current = this.state.get();
		return (current == State.ACTIVE) ? null : stateError(action);
	}

	private ConnectionFailureException closedBeforeCommit() {
		return new ConnectionFailureException("Node '" + this.node + "': the transaction's connection was closed before "
				+ "COMMIT could be sent (a statement in the transaction was cancelled in flight, or the connection "
				+ "broke), so nothing was committed", this.node, null, 1, null);
	}

	private TransactionStateException stateError(String action) {
		return new TransactionStateException("Node '" + this.node + "': cannot " + action + ": the transaction is "
				+ this.state.get().description, this.node);
	}

}
