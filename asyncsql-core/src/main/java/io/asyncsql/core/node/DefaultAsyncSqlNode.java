package io.asyncsql.core.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.BatchResult;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Pooler;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.metrics.NodeActivity;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.core.metrics.QueryOutcome;
import io.asyncsql.core.observation.AsyncSqlObservations;
import io.asyncsql.core.observation.DatabaseEndpoint;
import io.asyncsql.core.observation.ObservationSettings;
import io.asyncsql.core.pool.ConnectionFactoryCustomizer;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.pool.SharedPool;
import io.asyncsql.core.retry.AttemptFailure;
import io.asyncsql.core.retry.Phase;
import io.asyncsql.core.retry.RetryPolicy;
import io.asyncsql.core.retry.RetryScope;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.core.routing.ReplicaSet;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.sql.StatementKind;
import io.asyncsql.core.tx.ActiveTransactions;
import io.asyncsql.core.tx.ConnectionBoundOperations;
import io.asyncsql.core.tx.ControlStatements;
import io.asyncsql.core.tx.JoinedTransaction;
import io.asyncsql.core.tx.NodeTransaction;
import io.asyncsql.core.validation.QueryValidator;
import io.asyncsql.core.validation.SessionStateCheck;
import io.asyncsql.core.validation.ValidationRule;
import io.asyncsql.core.validation.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.IsolationLevel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.context.ContextView;

/**
 * The {@link AsyncSqlNode} implementation: prepares each call (lex from cache, validate from cache, bind), finds the
 * connection it runs on (a joined transaction's, or one of its own from the pool), and wraps the statement in
 * timeout enforcement, retry and error translation. Build it through {@link AsyncSqlNode#builder}.
 */
public final class DefaultAsyncSqlNode implements AsyncSqlNode {

	private static final Logger logger = LoggerFactory.getLogger(DefaultAsyncSqlNode.class);

	/** Rows fetched per round trip by {@link #stream} when the query sets no fetch size. */
	public static final int DEFAULT_STREAM_FETCH_SIZE = 256;

	private static final SessionStateCheck SESSION_STATE = new SessionStateCheck(QueryValidator.DEFAULT_CACHE_CAPACITY);

	private final NodeSettings settings;

	private final String name;

	private final Dialect dialect;

	private final ConnectionPools pools;

	private final boolean ownsPools;

	private final SharedPool pool;

	private final NodeMetrics metrics;

	private final NodeActivity activity = new NodeActivity();

	private final AsyncSqlObservations observations;

	private final CallRecorder recorder;

	private final Scheduler timer;

	private final StatementRunner runner;

	private final TimeoutGuard timeouts;

	private final FailureTranslator failures;

	private final RetryPolicy retry;

	private final ConnectionBoundOperations onConnection = new OnConnection();

	// behind a transaction-pooling proxy only
	private final @Nullable SessionStateCheck sessionState;

	// only with read replicas
	private final @Nullable ReplicaSet replicas;

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * Creates a node and leases its pool. Use {@link AsyncSqlNode#builder} instead.
	 * @param settings the node settings
	 * @param pools the pool registry
	 * @param ownsPools whether the node closes the registry when it closes
	 * @param meterRegistry where meters go, or {@code null}
	 * @param observations where observations go and their conventions
	 * @param json the JSON codec
	 * @param timer the scheduler for delays and timeouts
	 * @param connectionFactories changes how a new pool gets its connections
	 * @throws io.asyncsql.core.dialect.MissingDriverException when the driver is not on the class path
	 * @throws IllegalArgumentException when a configured type hint is not a valid type name
	 */
	public DefaultAsyncSqlNode(NodeSettings settings, ConnectionPools pools, boolean ownsPools,
			@Nullable MeterRegistry meterRegistry, ObservationSettings observations, JsonCodec json, Scheduler timer,
			ConnectionFactoryCustomizer connectionFactories) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.name = settings.name();
		this.dialect = Dialects.of(settings, json);
		checkTypeHints(settings, this.dialect);
		this.pools = pools;
		this.ownsPools = ownsPools;
		this.metrics = NodeMetrics.of(this.name, meterRegistry);
		this.observations = observations.forNode(this.name, DatabaseEndpoint.of(settings.connection()));
		this.recorder = new CallRecorder(this.name, this.metrics, this.activity, this.observations);
		this.timer = timer;
		this.pool = pools.lease(settings, node -> {
			ConnectionFactoryOptions options = connectionFactories.customizeOptions(node, this.dialect.connectionOptions(node));
			return connectionFactories.customizeConnectionFactory(node, options,
					this.dialect.createConnectionFactory(node, options));
		});
		this.runner = new StatementRunner(this.name, this.dialect);
		this.timeouts = new TimeoutGuard(this.dialect, this.pool.key().serverStatementTimeout(), timer);
		this.failures = new FailureTranslator(this.name, this.dialect, this.pool);
		this.retry = new RetryPolicy(this.name, settings.retry(), this.dialect.classifier(), this.metrics, timer);
		this.sessionState = (settings.pooler() == Pooler.TRANSACTION) ? SESSION_STATE : null;
		this.replicas = settings.readReplicas().replicas().isEmpty() ? null
				: new ReplicaSet(settings, this.pool, replica -> pools.lease(replica, node -> {
					ConnectionFactoryOptions options = connectionFactories.customizeOptions(node,
							this.dialect.connectionOptions(node));
					return connectionFactories.customizeConnectionFactory(node, options,
							this.dialect.createConnectionFactory(node, options));
				}), meterRegistry, timer);
	}

	private static void checkTypeHints(NodeSettings settings, Dialect dialect) {
		if (!dialect.supportsTypeHints()) {
			return;
		}
		settings.parameterTypes().forEach((parameter, type) -> {
			try {
				dialect.checkTypeHint(type);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("parameter-types." + parameter + ": " + ex.getMessage(), ex);
			}
		});
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public DatabaseType databaseType() {
		return this.settings.databaseType();
	}

	@Override
	public TransactionMode transactionMode() {
		return this.settings.transactionMode();
	}

	@Override
	public NodeSettings settings() {
		return this.settings;
	}

	@Override
	public SharedPool pool() {
		return this.pool;
	}

	/** @return the node's dialect */
	public Dialect dialect() {
		return this.dialect;
	}

	/** @return the node's meters */
	public NodeMetrics metrics() {
		return this.metrics;
	}

	@Override
	public NodeActivity activity() {
		return this.activity;
	}

	// ---------------------------------------------------------------- statements

	@Override
	public Mono<QueryResult> execute(Query query) {
		Objects.requireNonNull(query, "query must not be null");
		requireFetchSize(query);
		PreparedCall call;
		try {
			call = prepare(query);
		}
		catch (DataAccessException ex) {
			return Mono.error(ex);
		}
		return timed(call, Mono.deferContextual(context -> {
			Connection joined = joinedConnection(context);
			if (joined != null) {
				return onConnection(joined, call);
			}
			if (this.replicas != null) {
				return routed(call);
			}
			return onPrimary(call);
		}));
	}

	private Mono<QueryResult> onPrimary(PreparedCall call) {
		Mono<QueryResult> attempt = withOwnConnection(this.pool,
				c -> this.timeouts.guard(c, call.timeout(), this.runner.query(c, call)));
		return this.retry.run(attempt, call.retryScope(), (failure, attempts) -> translate(failure, attempts, call));
	}

	// a read-only statement outside a transaction goes to a fit replica; when that fails transiently (a lost
	// connection, a recovery conflict) it runs on the primary, so reads never fail while the primary answers
	private Mono<QueryResult> routed(PreparedCall call) {
		ReplicaSet replicas = Objects.requireNonNull(this.replicas);
		if (!call.bound().template().readOnly()) {
			replicas.primaryFor("write");
			return writing(replicas, onPrimary(call));
		}
		ReplicaSet.Replica replica = replicas.forRead();
		if (replica == null) {
			return onPrimary(call);
		}
		return withOwnConnection(replica.pool(), c -> this.timeouts.guard(c, call.timeout(), this.runner.query(c, call)))
			.onErrorResume(failure -> this.dialect.classifier().classify(failure) != null, failure -> {
				logger.debug("Read on replica '{}' failed ({}); running it on the primary", replica.name(),
						failure.toString());
				replicas.fellBack(replica);
				return onPrimary(call);
			})
			.onErrorMap(failure -> translate(failure, 1, call));
	}

	private static <T> Mono<T> writing(@Nullable ReplicaSet replicas, Mono<T> write) {
		if (replicas == null) {
			return write;
		}
		return Mono.defer(() -> {
			replicas.writeStarted();
			return write.doFinally(signal -> replicas.writeEnded());
		});
	}

	/** @return the node's read replicas, or {@code null} when it has none */
	public @Nullable ReplicaSet replicas() {
		return this.replicas;
	}

	@Override
	public Flux<Map<String, @Nullable Object>> stream(Query query) {
		Objects.requireNonNull(query, "query must not be null");
		PreparedCall call;
		try {
			call = prepare(query);
		}
		catch (DataAccessException ex) {
			return Flux.error(ex);
		}
		if (call.noStatement()) {
			// it has no rows, and r2dbc-postgresql never ends a portal opened over an empty query
			return Flux.empty();
		}
		int fetchSize = (query.fetchSize() > 0) ? query.fetchSize() : DEFAULT_STREAM_FETCH_SIZE;
		return timedRows(call, Flux.deferContextual(context -> {
			Connection joined = joinedConnection(context);
			if (joined != null) {
				return streamOn(joined, call, fetchSize).onErrorMap(failure -> translateInTransaction(failure, call));
			}
			// only getting the connection is retried: rows already emitted cannot be taken back
			Mono<Connection> acquire = this.retry.run(acquire(), RetryScope.READ_ONLY,
					(failure, attempts) -> translate(failure, attempts, call));
			return Flux.usingWhen(acquire, c -> streamOn(c, call, fetchSize), Connection::close,
					(c, error) -> c.close(), Connection::close)
				.onErrorMap(failure -> translate(failure, 1, call));
		}));
	}

	private Flux<Map<String, @Nullable Object>> streamOn(Connection connection, PreparedCall call, int fetchSize) {
		return CancellationGuard.rows(connection,
				this.timeouts.guardRows(connection, call.timeout(), this.runner.stream(connection, call, fetchSize)));
	}

	@Override
	public Mono<BatchResult> executeMany(String sql, List<? extends Map<String, ?>> paramSets) {
		Objects.requireNonNull(sql, "sql must not be null");
		Objects.requireNonNull(paramSets, "paramSets must not be null");
		if (paramSets.isEmpty()) {
			return Mono.just(new BatchResult(0, 0));
		}
		List<BoundStatement> sets;
		try {
			sets = prepareBatch(sql, paramSets);
		}
		catch (DataAccessException ex) {
			return Mono.error(ex);
		}
		PreparedCall first = new PreparedCall(sets.get(0), FetchMode.ALL, 0, this.settings.timeout());
		boolean wrap = transactionMode() == TransactionMode.AUTO;
		return timed(first, Mono.deferContextual(context -> {
			Connection joined = joinedConnection(context);
			if (joined != null) {
				return writingInTransaction(first, this.timeouts.guard(joined, first.timeout(),
						this.runner.batch(joined, sets)).onErrorMap(failure -> translateInTransaction(failure, first)));
			}
			Mono<Long> attempt = withOwnConnection(this.pool, c -> {
				Mono<Long> batch = this.timeouts.guard(c, first.timeout(), this.runner.batch(c, sets));
				return wrap ? inLocalTransaction(c, batch) : batch;
			});
			return writing(this.replicas, this.retry.run(attempt, batchScope(wrap, first, sets.size()),
					(failure, attempts) -> translate(failure, attempts, first)));
		})).map(total -> new BatchResult(total, paramSets.size()));
	}

	// in autocommit each parameter set commits on its own, so a failure after the first was sent may follow commits
	private static RetryScope batchScope(boolean wrapped, PreparedCall first, int size) {
		if (wrapped) {
			return RetryScope.TRANSACTION;
		}
		return (size == 1 || first.retryScope() == RetryScope.READ_ONLY) ? first.retryScope()
				: RetryScope.AUTOCOMMIT_BATCH;
	}

	@Override
	public Mono<Duration> ping() {
		return Mono.defer(() -> {
			checkOpen();
			return Mono.usingWhen(this.pool.acquire(), c -> {
				long start = System.nanoTime();
				return this.timeouts.guard(c, this.settings.timeout(), Flux.from(c.createStatement(this.dialect.pingQuery())
					.execute()).concatMap(result -> result.map(row -> 1)).then())
					.then(Mono.fromSupplier(() -> Duration.ofNanos(System.nanoTime() - start)));
			}, Connection::close, (c, error) -> c.close(), Connection::close);
		}).onErrorMap(failure -> translate(failure, 1, null));
	}

	// ---------------------------------------------------------------- transactions

	@Override
	public Mono<SqlTransaction> beginTransaction() {
		return beginTransaction((IsolationLevel) null);
	}

	@Override
	public Mono<SqlTransaction> beginTransaction(@Nullable IsolationLevel isolationLevel) {
		return this.retry.run(begin(isolationLevel), RetryScope.TRANSACTION,
				(failure, attempts) -> translate(failure, attempts, null))
			.cast(SqlTransaction.class);
	}

	@Override
	public <T> Flux<T> inTransaction(Function<SqlTransaction, ? extends Publisher<T>> work) {
		return inTransaction(null, work);
	}

	@Override
	public <T> Flux<T> inTransaction(@Nullable IsolationLevel isolationLevel,
			Function<SqlTransaction, ? extends Publisher<T>> work) {
		Objects.requireNonNull(work, "work must not be null");
		return Flux.deferContextual(context -> {
			Connection joined = ActiveTransactions.connection(context, this.pool);
			if (joined != null) {
				return Flux.from(work.apply(new JoinedTransaction(this.name, this.onConnection, joined)));
			}
			Mono<List<T>> attempt = Mono.usingWhen(begin(isolationLevel),
					transaction -> Flux.from(work.apply(transaction))
						.contextWrite(c -> transaction.publish(ActiveTransactions.publish(c, this.pool, transaction)))
						.collectList()
						.flatMap(values -> transaction.commit()
							.onErrorMap(failure -> AttemptFailure.of(Phase.COMMIT, failure))
							.thenReturn(values)),
					transaction -> Mono.empty(), (transaction, error) -> transaction.rollback(),
					NodeTransaction::rollbackIfActive);
			return writing(this.replicas, this.retry.run(attempt, RetryScope.TRANSACTION, this::translateFromDatabase))
				.flatMapIterable(values -> values);
		});
	}

	// r2dbc-pool gives a connection back on any cancel of its acquire, also one that comes after the connection was
	// handed out, and flatMap passes every cancel on to its source. Once the transaction is out, a late cancel
	// (take(1) sends one as soon as the value arrives) therefore stops here: past this point the connection is the
	// transaction's, and its owner ends it.
	private Mono<NodeTransaction> begin(@Nullable IsolationLevel isolationLevel) {
		Mono<NodeTransaction> beginning = beginOnNewConnection(isolationLevel);
		return Mono.<NodeTransaction>create(sink -> {
			AtomicBoolean out = new AtomicBoolean();
			Disposable subscription = beginning.contextWrite(sink.contextView()).subscribe(transaction -> {
				out.set(true);
				sink.success(transaction);
			}, sink::error, sink::success);
			sink.onCancel(() -> {
				if (!out.get()) {
					subscription.dispose();
				}
			});
		}).doOnDiscard(NodeTransaction.class, transaction -> transaction.rollbackIfActive().subscribe(null, e -> { }));
	}

	private Mono<NodeTransaction> beginOnNewConnection(@Nullable IsolationLevel isolationLevel) {
		return acquire().flatMap(connection -> ControlStatements.bounded(connection, (isolationLevel != null)
				? connection.beginTransaction(isolationLevel) : connection.beginTransaction(), "BEGIN", controlWait(),
				this.timer)
			.then(Mono.deferContextual(context -> Mono.just(new NodeTransaction(this.name, this.pool, this.onConnection,
					connection, this.metrics, this.settings.transactionTimeout(), controlWait(), this.timer, this::commitFailure,
					this.observations.isNoop() ? null : this.observations.startTransaction(context),
					commit -> writing(this.replicas, commit)))))
			.onErrorResume(failure -> Mono.from(connection.close())
				.onErrorResume(ignored -> Mono.empty())
				.then(Mono.error(AttemptFailure.of(Phase.EXECUTE, failure))))
			.doOnCancel(() -> Mono.from(connection.close()).subscribe(null, ignored -> { })));
	}

	private DataAccessException commitFailure(Throwable failure) {
		TransientReason reason = this.dialect.classifier().classify(failure);
		if (reason != null && !reason.statementRejected()) {
			return new CommitOutcomeUnknownException("Node '" + this.name + "': the connection failed during COMMIT, "
					+ "so whether the transaction committed is unknown (" + failure.getMessage() + ")", this.name,
					TransientFailureClassifier.sqlState(failure), 1, failure);
		}
		return translate(failure, 1, null);
	}

	// a control statement may take as long as any statement, and then as long as a cancelled one takes to answer
	private Duration controlWait() {
		return this.settings.timeout().plus(TimeoutGuard.OUTCOME_WAIT);
	}

	private <T> Mono<T> inLocalTransaction(Connection connection, Mono<T> work) {
		return ControlStatements.bounded(connection, connection.beginTransaction(), "BEGIN", controlWait(), this.timer)
			.then(work)
			.flatMap(value -> ControlStatements.bounded(connection, connection.commitTransaction(), "COMMIT",
					controlWait(), this.timer)
				.onErrorMap(failure -> AttemptFailure.of(Phase.COMMIT, failure))
				.doOnSuccess(ignored -> this.metrics.recordTransaction(true))
				.thenReturn(value))
			.onErrorResume(failure -> {
				this.metrics.recordTransaction(false);
				if (failure instanceof AttemptFailure wrapped && wrapped.phase() == Phase.COMMIT) {
					return Mono.error(failure);
				}
				return ControlStatements.bounded(connection, connection.rollbackTransaction(), "ROLLBACK", controlWait(),
						this.timer)
					.onErrorResume(ignored -> Mono.empty())
					.then(Mono.error(failure));
			});
	}

	// ---------------------------------------------------------------- lifecycle

	@Override
	public void close() {
		if (this.closed.compareAndSet(false, true)) {
			if (this.replicas != null) {
				this.replicas.close(this.pools::release);
			}
			this.pools.release(this.pool, this.name);
			if (this.ownsPools) {
				this.pools.close();
			}
		}
	}

	@Override
	public String toString() {
		return "AsyncSqlNode[" + this.name + ", " + databaseType().id() + ", " + transactionMode() + ", pool="
				+ this.pool.name() + " -> " + this.pool.target() + "]";
	}

	// ---------------------------------------------------------------- internals

	private PreparedCall prepare(Query query) {
		try {
			return prepareChecked(query);
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw unprepared(ex);
		}
	}

	// a failure of the library's own preparation still reaches the caller as a library error, and reactively
	private ParameterBindingException unprepared(RuntimeException failure) {
		return new ParameterBindingException("Node '" + this.name + "' could not prepare the statement ("
				+ failure.getClass().getName() + ")", this.name, null, failure);
	}

	private PreparedCall prepareChecked(Query query) {
		checkOpen();
		SqlTemplate template = template(query.sql());
		BoundStatement bound;
		try {
			bound = (query.positionalParams() != null)
					? this.dialect.binder().bindPositional(template, query.positionalParams(), this.name,
							this.settings.maxBindValues())
					: this.dialect.binder().bindNamed(template, query.params(), this.settings.parameterTypes(),
							query.parameterTypes(), this.name, this.settings.maxBindValues());
		}
		catch (ParameterBindingException ex) {
			this.metrics.recordQuery(template.kind(), QueryOutcome.REJECTED, 0);
			throw ex;
		}
		Duration timeout = (query.timeout() != null) ? query.timeout() : this.settings.timeout();
		return new PreparedCall(bound, query.fetchMode(), query.fetchSize(), timeout);
	}

	private List<BoundStatement> prepareBatch(String sql, List<? extends Map<String, ?>> paramSets) {
		try {
			return prepareBatchChecked(sql, paramSets);
		}
		catch (DataAccessException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw unprepared(ex);
		}
	}

	private List<BoundStatement> prepareBatchChecked(String sql, List<? extends Map<String, ?>> paramSets) {
		checkOpen();
		SqlTemplate template = template(sql);
		List<BoundStatement> sets = new ArrayList<>(paramSets.size());
		try {
			for (int i = 0; i < paramSets.size(); i++) {
				Map<String, ?> params = paramSets.get(i);
				if (params == null) {
					throw new ParameterBindingException("Parameter set " + i + " of the batch on node '" + this.name
							+ "' is null", this.name, null, null);
				}
				BoundStatement bound;
				try {
					bound = this.dialect.binder().bindNamed(template, params, this.settings.parameterTypes(), Map.of(),
							this.name, this.settings.maxBindValues());
				}
				catch (ParameterBindingException ex) {
					throw new ParameterBindingException("Parameter set " + i + " of the batch: " + ex.getMessage(),
							this.name, ex.parameter(), ex.getCause());
				}
				if (!sets.isEmpty() && !bound.sql().equals(sets.get(0).sql())) {
					throw new ParameterBindingException("Parameter set " + i + " of the batch on node '" + this.name
							+ "' produces a different statement than the first (collections in IN lists must have the "
							+ "same size in every set)", this.name, null, null);
				}
				sets.add(bound);
			}
		}
		catch (ParameterBindingException ex) {
			this.metrics.recordQuery(template.kind(), QueryOutcome.REJECTED, 0);
			throw ex;
		}
		return sets;
	}

	private SqlTemplate template(String sql) {
		if (sql.length() > this.settings.maxSqlLength()) {
			throw rejected(StatementKind.OTHER, new Violation(ValidationRule.SQL_TOO_LONG, -1, "the SQL text has "
					+ sql.length() + " characters; max-sql-length is " + this.settings.maxSqlLength()));
		}
		SqlTemplate template = this.dialect.templates().get(sql);
		if (template.nulPosition() >= 0) {
			throw rejected(template.kind(), new Violation(ValidationRule.NUL_CHARACTER, template.nulPosition(),
					"the SQL text holds a NUL character (U+0000); bind such a value as a parameter"));
		}
		if (this.settings.validateQueries()) {
			Violation violation = this.dialect.validator().validate(template, this.settings.allowAdmin());
			if (violation != null) {
				throw rejected(template.kind(), violation);
			}
		}
		if (this.sessionState != null) {
			// not a matter of trust but of what can work behind the proxy, so checked on every node
			Violation violation = this.sessionState.check(template);
			if (violation != null) {
				throw rejected(template.kind(), violation);
			}
		}
		return template;
	}

	private QueryValidationException rejected(StatementKind kind, Violation violation) {
		this.metrics.recordRejection(violation.rule().id());
		this.metrics.recordQuery(kind, QueryOutcome.REJECTED, 0);
		ValidationRule rule = violation.rule();
		String fix = (rule.allowedBy() != null) ? "; to allow it, set " + rule.allowedBy() + " on the node" : "";
		return new QueryValidationException("Node '" + this.name + "' refused the statement: rule " + rule.id()
				+ ((violation.position() >= 0) ? " at position " + violation.position() : "") + ": "
				+ violation.detail() + fix, this.name, rule.id(), violation.position());
	}

	private void checkOpen() {
		if (this.closed.get()) {
			throw new ConnectionFailureException("Node '" + this.name + "' is closed", this.name, null, 0, null);
		}
	}

	private static void requireFetchSize(Query query) {
		if (query.fetchMode() == FetchMode.MANY && query.fetchSize() < 1) {
			throw new IllegalArgumentException("FetchMode.MANY needs a fetch size: use Query.fetchSize(n)");
		}
	}

	private @Nullable Connection joinedConnection(ContextView context) {
		return (transactionMode() == TransactionMode.NONE) ? null : ActiveTransactions.connection(context, this.pool);
	}

	private Mono<Connection> acquire() {
		return this.pool.acquire().onErrorMap(failure -> AttemptFailure.of(Phase.ACQUIRE, failure));
	}

	private <T> Mono<T> withOwnConnection(SharedPool from, Function<Connection, Mono<T>> work) {
		Mono<Connection> acquire = (from == this.pool) ? acquire()
				: from.acquire().onErrorMap(failure -> AttemptFailure.of(Phase.ACQUIRE, failure));
		return Mono.usingWhen(acquire,
				connection -> work.apply(connection)
					.doOnError(failure -> discardIfStandby(connection, failure))
					.onErrorMap(failure -> AttemptFailure.of(Phase.EXECUTE, failure)),
				Connection::close, (connection, error) -> connection.close(), Connection::close);
	}

	// after a failover a pooled connection may lead to a standby (the former primary behind a moved address): it
	// would refuse every write, so it goes rather than back to the pool
	private void discardIfStandby(Connection connection, Throwable failure) {
		if (this.dialect.classifier().classify(failure) == TransientReason.READ_ONLY) {
			SharedPool.discard(connection);
		}
	}

	private Mono<QueryResult> onConnection(Connection connection, PreparedCall call) {
		return writingInTransaction(call, this.timeouts.guard(connection, call.timeout(), this.runner.query(connection, call))
			.onErrorMap(failure -> translateInTransaction(failure, call)));
	}

	// A write in a transaction becomes visible at COMMIT. A node's own transaction counts its commit as a write; in a
	// Spring-managed one the write stays in flight until the transaction has ended, or, where Spring does not
	// synchronize, counts when the statement ends (and so is counted twice within the node's own transactions).
	private <T> Mono<T> writingInTransaction(PreparedCall call, Mono<T> work) {
		ReplicaSet replicas = this.replicas;
		if (replicas == null || call.bound().template().readOnly()) {
			return work;
		}
		return Mono.deferContextual(context -> {
			if (context.hasKey(this.pool.transactionKey())) {
				return work;
			}
			replicas.writeStarted();
			if (ActiveTransactions.afterSpringCompletion(context, replicas::writeEnded)) {
				return work;
			}
			return work.doFinally(signal -> replicas.writeEnded());
		});
	}

	// Inside a transaction nothing is committed before COMMIT, so a statement that failed in any way, even one
	// abandoned with its connection, leaves no write behind once the transaction ends: its outcome is known.
	private DataAccessException translateInTransaction(Throwable failure, PreparedCall call) {
		Throwable cause = (failure instanceof AttemptFailure wrapped && wrapped.getCause() != null) ? wrapped.getCause()
				: failure;
		return this.failures.translate(cause, 1, call.bound(), call.timeout(), false);
	}

	private DataAccessException translate(Throwable failure, int attempts, @Nullable PreparedCall call) {
		Throwable cause = (failure instanceof AttemptFailure wrapped && wrapped.getCause() != null) ? wrapped.getCause()
				: failure;
		if (call == null) {
			return this.failures.translate(cause, attempts, null, this.settings.timeout(), true);
		}
		return this.failures.translate(cause, attempts, call.bound(), call.timeout(),
				call.retryScope() != RetryScope.READ_ONLY);
	}

	// failures of the application's own work pass through as they are, Spring's (DatabaseClient, repositories) too
	private Throwable translateFromDatabase(Throwable failure, int attempts) {
		Throwable cause = (failure instanceof AttemptFailure wrapped && wrapped.getCause() != null) ? wrapped.getCause()
				: failure;
		if (cause instanceof DataAccessException) {
			return cause;
		}
		boolean fromDatabase = TransientFailureClassifier.sqlState(cause) != null
				|| this.dialect.classifier().classify(cause) != null || hasR2dbcCause(cause);
		return fromDatabase ? translate(cause, attempts, null) : cause;
	}

	private static boolean hasR2dbcCause(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof io.r2dbc.spi.R2dbcException) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private <T> Mono<T> timed(PreparedCall call, Mono<T> work) {
		return this.recorder.timed(call, work);
	}

	private <T> Flux<T> timedRows(PreparedCall call, Flux<T> rows) {
		return this.recorder.timedRows(call, rows);
	}

	/** The node's operations on a transaction's connection. */
	private final class OnConnection implements ConnectionBoundOperations {

		@Override
		public Mono<QueryResult> execute(Connection connection, Query query) {
			Objects.requireNonNull(query, "query must not be null");
			requireFetchSize(query);
			PreparedCall call;
			try {
				call = prepare(query);
			}
			catch (DataAccessException ex) {
				return Mono.error(ex);
			}
			return timed(call, onConnection(connection, call));
		}

		@Override
		public Flux<Map<String, @Nullable Object>> stream(Connection connection, Query query) {
			Objects.requireNonNull(query, "query must not be null");
			PreparedCall call;
			try {
				call = prepare(query);
			}
			catch (DataAccessException ex) {
				return Flux.error(ex);
			}
			if (call.noStatement()) {
				return Flux.empty();
			}
			int fetchSize = (query.fetchSize() > 0) ? query.fetchSize() : DEFAULT_STREAM_FETCH_SIZE;
			return timedRows(call, streamOn(connection, call, fetchSize)
				.onErrorMap(failure -> translateInTransaction(failure, call)));
		}

		@Override
		public Mono<BatchResult> executeMany(Connection connection, String sql, List<? extends Map<String, ?>> paramSets) {
			Objects.requireNonNull(sql, "sql must not be null");
			if (paramSets.isEmpty()) {
				return Mono.just(new BatchResult(0, 0));
			}
			List<BoundStatement> sets;
			try {
				sets = prepareBatch(sql, paramSets);
			}
			catch (DataAccessException ex) {
				return Mono.error(ex);
			}
			PreparedCall first = new PreparedCall(sets.get(0), FetchMode.ALL, 0, DefaultAsyncSqlNode.this.settings.timeout());
			return timed(first, writingInTransaction(first, DefaultAsyncSqlNode.this.timeouts.guard(connection,
					first.timeout(), DefaultAsyncSqlNode.this.runner.batch(connection, sets))))
				.onErrorMap(failure -> translateInTransaction(failure, first))
				.map(total -> new BatchResult(total, paramSets.size()));
		}

	}

}
