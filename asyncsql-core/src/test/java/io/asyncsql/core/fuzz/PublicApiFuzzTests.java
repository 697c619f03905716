package io.asyncsql.core.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryValidationException;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.core.SqlOperations;
import io.asyncsql.core.SqlTransaction;
import io.asyncsql.core.TransactionMode;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.pool.PoolStats;
import io.asyncsql.test.TestTarget;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Seeded random input through the public API of a node against a real database: random and mangled SQL, parameter
 * maps of every shape (nulls, null keys, nested maps, lists, NaN, extreme numbers and dates, lone surrogates, NUL,
 * multi-megabyte strings, 100,000-element lists, objects no database knows), fetch modes, fetch sizes and timeouts
 * in and out of range, through {@code execute}, {@code stream}, {@code executeMany}, both transaction APIs (with
 * and without an isolation level) and the {@code OptimisticLockManager}'s reads and updates.
 * <p>
 * Every call returns its publisher without throwing, whatever the SQL text or the values ({@code $2147483648}
 * included), and ends within a bound, either succeeding or failing with an {@link AsyncSqlException}; an
 * {@link IllegalArgumentException} or {@link NullPointerException} is thrown at the call only for what the javadoc
 * names (null arguments, {@code FetchMode.MANY} without a fetch size), and the lock manager's refusal of a bad name
 * is the publisher's {@link IllegalArgumentException}. No failure
 * message may quote a bound value, and a database failure must come from the database. After every batch no
 * connection is still acquired and the node still answers.
 * <p>
 * The run prints its seed; {@code -Dasyncsql.fuzz.seed=N} replays it and {@code -Dasyncsql.fuzz.iterations=N} sets
 * the cases per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("reliability")
public abstract class PublicApiFuzzTests {

	protected static final Duration WAIT = Duration.ofSeconds(30);

	/** Longer than any call may take: the node timeout, a cancel's outcome wait and a retry. */
	private static final Duration CALL_BOUND = Duration.ofSeconds(30);

	private static final int DEFAULT_ITERATIONS = 150;

	private static final int BATCH = 25;

	// the fuzz table has no version column: updates fail on the database, reads and names are what is tried
	private static final io.asyncsql.locking.OptimisticLockManager LOCKS = new io.asyncsql.locking.OptimisticLockManager();

	// what the lock manager documents as its publishers' errors: a bad name, a table without a version column
	private static final java.util.function.Predicate<Throwable> LOCK_MISUSE = ex -> ex instanceof IllegalArgumentException
			|| ex instanceof IllegalStateException && String.valueOf(ex.getMessage()).contains("version column");

	private static final Pattern NAMED = Pattern.compile(":([A-Za-z_\\u00c0-\\uffff][A-Za-z0-9_\\u00c0-\\uffff]*)");

	protected TestTarget target;

	private ConnectionPools pools;

	private SimpleMeterRegistry meters;

	private final List<AsyncSqlNode> nodes = new ArrayList<>();

	/** @return a fresh database for this class */
	protected abstract TestTarget createTarget();

	/** @return the column type for text of several megabytes */
	protected abstract String largeTextType();

	@BeforeAll
	void createDatabase() {
		this.target = createTarget();
		this.target.sql("CREATE TABLE fuzz_items (id bigint, name varchar(200), amount numeric(19,4), flag boolean, "
				+ "note " + largeTextType() + ")");
		this.meters = new SimpleMeterRegistry();
		this.pools = new ConnectionPools(this.meters);
		RetryConfig quickRetry = new RetryConfig(1, Duration.ofMillis(10), Duration.ofMillis(50), 2.0, false);
		for (TransactionMode mode : TransactionMode.values()) {
			this.nodes.add(node(fuzzNode("fuzz_" + mode.name().toLowerCase()).transactionMode(mode).retry(quickRetry)));
		}
		// the database's own parser sees the garbage too
		this.nodes.add(node(fuzzNode("fuzz_unvalidated").validateQueries(false).retry(quickRetry)));
	}

	// the fuzzing inserts and deletes rows: every test starts from the same two
	@BeforeEach
	void seedRows() {
		this.target.sql("DELETE FROM fuzz_items", "INSERT INTO fuzz_items (id, name, amount, flag, note) VALUES "
				+ "(1, 'one', 1.5, true, 'first'), (2, 'two', 0, false, NULL)");
	}

	private NodeSettings.Builder fuzzNode(String name) {
		return this.target.node(name).timeout(Duration.ofSeconds(5)).transactionTimeout(Duration.ofSeconds(20));
	}

	private AsyncSqlNode node(NodeSettings.Builder settings) {
		return AsyncSqlNode.builder(settings.build()).pools(this.pools).meterRegistry(this.meters).build();
	}

	@AfterAll
	void dropDatabase() {
		this.nodes.forEach(AsyncSqlNode::close);
		if (this.pools != null) {
			this.pools.close();
		}
		if (this.target != null) {
			this.target.close();
		}
	}

	// ---------------------------------------------------------------- the fuzz run

	@Test
	void everyCallEndsWithADocumentedOutcome() {
		long seed = Long.getLong("asyncsql.fuzz.seed", new SplittableRandom().nextLong());
		int iterations = Integer.getInteger("asyncsql.fuzz.iterations", DEFAULT_ITERATIONS);
		DatabaseType type = this.target.type();
		System.out.printf("fuzz %s: seed %d, %d cases (replay with -Dasyncsql.fuzz.seed=%d)%n", type.id(), seed,
				iterations, seed);
		Map<String, Integer> outcomes = new TreeMap<>();
		List<String> findings = new ArrayList<>();
		long start = System.nanoTime();
		for (int done = 0; done < iterations; done += BATCH) {
			for (int n = done; n < Math.min(iterations, done + BATCH); n++) {
				Case fuzz = new Case(n, new FuzzInput(new SplittableRandom(seed + 0x9e3779b97f4a7c15L * n), type,
						n % 5 == 4));
				String outcome = fuzz.run();
				outcomes.merge(outcome, 1, Integer::sum);
				if (fuzz.finding != null) {
					findings.add("case " + n + " (" + fuzz.description + "): " + fuzz.finding);
				}
			}
			afterBatch(findings, done);
		}
		long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		System.out.printf("fuzz %s: seed %d, %d cases in %d ms, outcomes %s%n", type.id(), seed, iterations, elapsed,
				outcomes);
		assertThat(findings).as("seed %d (replay with -Dasyncsql.fuzz.seed=%d)", seed, seed).isEmpty();
		// the generator reaches the database, and reaches the refusals before it
		assertThat(outcomes).containsKeys("success", QueryValidationException.class.getSimpleName(),
				ParameterBindingException.class.getSimpleName());
	}

	private void afterBatch(List<String> findings, int batch) {
		for (AsyncSqlNode node : this.nodes) {
			try {
				await().atMost(WAIT).untilAsserted(() -> {
					PoolStats stats = node.pool().stats();
					assertThat(stats.acquired()).as("acquired connections of %s", node.name()).isZero();
					assertThat(stats.pendingAcquire()).isZero();
				});
				assertThat(node.execute("SELECT 1 AS one").block(WAIT).rowCount()).isEqualTo(1);
			}
			catch (AssertionError | RuntimeException ex) {
				findings.add("after the batch from case " + batch + ", node " + node.name() + ": " + ex);
				return;
			}
		}
	}

	// ---------------------------------------------------------------- statement limits

	/** @return a positional marker of this database */
	protected abstract String marker(int position);

	@Test
	void sqlLongerThanMaxSqlLengthIsRefusedBeforeTheDatabase() {
		try (AsyncSqlNode limited = isolated("fuzz_short_sql", settings -> settings.maxSqlLength(40))) {
			String sql = "SELECT id FROM fuzz_items WHERE name = :n"; // 41 characters
			assertThat(sql).hasSize(41);
			Map<String, Object> params = Map.of("n", "x");
			assertRefusedAsTooLong(() -> limited.execute(sql, params).block(WAIT));
			assertRefusedAsTooLong(() -> limited.stream(sql, params).blockLast(WAIT));
			assertRefusedAsTooLong(() -> limited.executeMany(sql, List.of(params, params)).block(WAIT));
			assertNoRoundTrip(limited, 3);
			assertThat(limited.execute("SELECT id FROM fuzz_items").block(WAIT).rowCount()).isEqualTo(2);
		}
		// the default limit, 1,000,000 characters, refuses a longer text just the same
		try (AsyncSqlNode defaults = isolated("fuzz_long_sql", settings -> settings)) {
			String sql = "SELECT 1 AS one " + "-".repeat(NodeSettings.DEFAULT_MAX_SQL_LENGTH);
			assertRefusedAsTooLong(() -> defaults.execute(sql).block(WAIT));
			assertNoRoundTrip(defaults, 1);
		}
	}

	@Test
	void moreBindValuesThanMaxBindValuesAreRefusedBeforeTheDatabase() {
		try (AsyncSqlNode limited = isolated("fuzz_few_binds", settings -> settings.maxBindValues(3))) {
			assertRefusedAsTooManyValues(() -> limited.execute("SELECT id FROM fuzz_items WHERE id IN (:ids)",
					Map.of("ids", List.of(1, 2, 3, 4))).block(WAIT));
			assertRefusedAsTooManyValues(() -> limited.execute("SELECT " + marker(1) + ", " + marker(2) + ", "
					+ marker(3) + ", " + marker(4), List.of(1, 2, 3, 4)).block(WAIT));
			assertRefusedAsTooManyValues(() -> limited.executeMany("SELECT :a, :b, :c, :d",
					List.of(Map.of("a", 1, "b", 2, "c", 3, "d", 4))).block(WAIT));
			assertNoRoundTrip(limited, 3);
			assertThat(limited.execute("SELECT id FROM fuzz_items WHERE id IN (:ids)", Map.of("ids", List.of(1, 2, 3)))
				.block(WAIT).rowCount()).isEqualTo(2);
		}
		// the default, 65,535 (PostgreSQL's protocol limit), refuses an IN list that expands beyond it
		try (AsyncSqlNode defaults = isolated("fuzz_many_binds", settings -> settings)) {
			List<Long> ids = new ArrayList<>();
			for (long id = 0; id <= NodeSettings.DEFAULT_MAX_BIND_VALUES; id++) {
				ids.add(id);
			}
			assertRefusedAsTooManyValues(() -> defaults.execute("SELECT id FROM fuzz_items WHERE id IN (:ids)",
					Map.of("ids", ids)).block(WAIT));
			assertNoRoundTrip(defaults, 1);
		}
	}

	private AsyncSqlNode isolated(String name,
			java.util.function.UnaryOperator<NodeSettings.Builder> settings) {
		// a pool of its own that opens no connection before the first statement, so one opened means a round trip
		return AsyncSqlNode.builder(settings.apply(this.target.node(name).sharePool(false)).build())
			.meterRegistry(this.meters)
			.build();
	}

	private static void assertRefusedAsTooLong(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		assertThatThrownBy(call).isInstanceOfSatisfying(QueryValidationException.class,
				ex -> assertThat(ex.attempts()).isZero())
			.hasMessageContaining("max-sql-length is")
			.hasMessageContaining("to allow it, set a larger max-sql-length on the node");
	}

	private static void assertRefusedAsTooManyValues(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
		assertThatThrownBy(call).isInstanceOfSatisfying(ParameterBindingException.class,
				ex -> assertThat(ex.attempts()).isZero())
			.hasMessageContaining("bind values; the node allows at most")
			.hasMessageContaining("(max-bind-values)");
	}

	private void assertNoRoundTrip(AsyncSqlNode node, int refusals) {
		assertThat(node.pool().stats().allocated()).as("connections opened").isZero();
		double rejected = this.meters.find(NodeMetrics.QUERIES).tag("node", node.name()).tag("outcome", "rejected")
			.timers().stream().mapToLong(Timer::count).sum();
		double sent = this.meters.find(NodeMetrics.QUERIES).tag("node", node.name()).timers().stream()
			.filter(timer -> !"rejected".equals(timer.getId().getTag("outcome")))
			.mapToLong(Timer::count)
			.sum();
		assertThat(rejected).isEqualTo(refusals);
		assertThat(sent).isZero();
	}

	// ---------------------------------------------------------------- what the fuzzer found

	@Test
	void positionalMarkersWithoutPositionalValuesAreRefused() {
		AsyncSqlNode node = this.nodes.get(0);
		String sql = "SELECT " + marker(1) + " AS v";
		// no values at all, and an empty map: once a NullPointerException, and once a NULL bound without a word
		assertThatThrownBy(() -> node.execute(sql).block(WAIT)).isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("1 positional markers but no positional values were given");
		assertThatThrownBy(() -> node.execute(sql, new java.util.HashMap<>()).block(WAIT))
			.isInstanceOf(ParameterBindingException.class);
		assertThatThrownBy(() -> node.executeMany(sql, List.of(Map.of())).block(WAIT))
			.isInstanceOf(ParameterBindingException.class);
		assertThat(node.execute(sql, List.of(7)).block(WAIT).rowCount()).isEqualTo(1);
	}

	@Test
	void aValueThatContainsItselfIsRefused() {
		List<Object> list = new ArrayList<>();
		list.add(list);
		Map<String, Object> map = new java.util.HashMap<>();
		map.put("self", map);
		for (Object value : List.of(list, map)) {
			assertThatThrownBy(() -> this.nodes.get(0).execute("SELECT :v AS v", Map.of("v", value)).block(WAIT))
				.isInstanceOf(ParameterBindingException.class)
				.hasMessageContaining("parameter ':v'");
		}
	}

	@Test
	void aBatchWithoutParametersRunsOncePerSet() {
		AsyncSqlNode node = this.nodes.get(0);
		long rows = node.execute("SELECT id FROM fuzz_items").block(WAIT).rowCount();
		assertThat(node.executeMany("UPDATE fuzz_items SET flag = flag", List.of(Map.of(), Map.of(), Map.of()))
			.block(WAIT).affectedRows()).isEqualTo(3 * rows);
		assertThat(node.inTransaction(tx -> tx.executeMany("UPDATE fuzz_items SET flag = flag", List.of(Map.of(),
				Map.of()))).blockLast(WAIT).affectedRows()).isEqualTo(2 * rows);
	}

	@Test
	void aTimeoutLongerThanDatabasesAcceptRunsAsTheLongestTheyDo() {
		AsyncSqlNode node = this.nodes.get(0);
		for (Duration huge : List.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofDays(365L * 300),
				Query.MAX_TIMEOUT.plusMillis(1))) {
			Query query = Query.of("SELECT 1 AS one").timeout(huge);
			assertThat(node.execute(query).block(WAIT).rowCount()).isEqualTo(1);
			assertThat(node.stream(query).collectList().block(WAIT)).hasSize(1);
			assertThat(node.inTransaction(tx -> tx.execute(query)).blockLast(WAIT).rowCount()).isEqualTo(1);
		}
		awaitNothingAcquired();
	}

	protected void awaitNothingAcquired() {
		for (AsyncSqlNode node : this.nodes) {
			await().atMost(WAIT).untilAsserted(() -> assertThat(node.pool().stats().acquired()).isZero());
		}
	}

	protected AsyncSqlNode auto() {
		return this.nodes.get(0);
	}

	/** One random call and its verdict. */
	private final class Case {

		private final int number;

		private final FuzzInput in;

		String description = "";

		String finding;

		// documented refusals at call time, expected for this input
		private boolean refusalExpected;

		Case(int number, FuzzInput in) {
			this.number = number;
			this.in = in;
		}

		String run() {
			AsyncSqlNode node = this.in.pick(nodes.toArray(AsyncSqlNode[]::new));
			boolean safe = !node.settings().validateQueries();
			Publisher<?> call;
			try {
				call = call(node, safe);
			}
			catch (IllegalArgumentException | NullPointerException ex) {
				if (!this.refusalExpected) {
					this.finding = "undocumented " + trace(ex);
				}
				return "refused at call: " + ex.getClass().getSimpleName();
			}
			catch (Throwable ex) {
				this.finding = "thrown at call: " + trace(ex);
				return "thrown: " + ex.getClass().getSimpleName();
			}
			if (this.refusalExpected) {
				this.finding = "a documented refusal at call time did not happen";
			}
			CompletableFuture<Long> result = Flux.from(call).count().toFuture();
			try {
				result.get(CALL_BOUND.toMillis(), TimeUnit.MILLISECONDS);
				return "success";
			}
			catch (TimeoutException ex) {
				result.cancel(true);
				this.finding = "no outcome within " + CALL_BOUND;
				return "hang";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			catch (ExecutionException ex) {
				return judge(ex.getCause());
			}
		}

		private String judge(Throwable failure) {
			if (failure.getClass() == RuntimeException.class && failure.getCause() != null
					&& String.valueOf(failure.getMessage()).startsWith("Async resource cleanup failed")) {
				// Flux.usingWhen of the call itself wraps what commit() or rollback() raised: judge that
				return judge(failure.getCause());
			}
			String name = failure.getClass().getSimpleName();
			if (!(failure instanceof AsyncSqlException)) {
				this.finding = "undocumented failure " + trace(failure);
				return "undocumented: " + name;
			}
			for (Throwable current = failure; current instanceof AsyncSqlException; current = current.getCause()) {
				if (String.valueOf(current.getMessage()).contains(FuzzInput.MARKER)
						|| current.toString().contains(FuzzInput.MARKER)) {
					this.finding = "a bound value in the message of " + current.getClass().getSimpleName() + ": "
							+ abbreviate(current.getMessage());
				}
			}
			if (failure instanceof AsyncSqlException known && known.sqlState() != null && !fromDatabase(failure)) {
				this.finding = "an internal failure reported as a database failure: " + failure + " caused by "
						+ trace(failure.getCause());
			}
			return name;
		}

		private Publisher<?> call(AsyncSqlNode node, boolean safe) {
			int operation = this.in.random().nextInt(13);
			String sql = this.in.sql(safe);
			this.description = node.name() + " op " + operation + " sql " + abbreviate(sql);
			return switch (operation) {
				case 0 -> node.execute(sql);
				case 1 -> node.execute(sql, params(sql));
				case 2 -> {
					FetchMode mode = this.in.pick(FetchMode.values());
					this.refusalExpected = (mode == FetchMode.MANY);
					yield node.execute(sql, params(sql), mode);
				}
				case 3 -> node.execute(sql, this.in.positional());
				case 4 -> node.execute(query(sql));
				case 5 -> {
					Query query = query(sql);
					this.refusalExpected = false; // a stream needs no fetch size
					yield stream(node, query);
				}
				case 6 -> stream(node, Query.of(sql).params(params(sql)));
				case 7 -> node.executeMany(sql, paramSets(sql));
				case 8 -> {
					List<Object> steps = steps(safe);
					yield node.inTransaction(tx -> Flux.fromIterable(steps).concatMap(step -> run(tx, step)));
				}
				case 9 -> {
					List<Object> steps = steps(safe);
					boolean commit = this.in.random().nextBoolean();
					yield Flux.usingWhen(node.beginTransaction(),
							tx -> Flux.fromIterable(steps).concatMap(step -> run(tx, step)),
							tx -> commit ? tx.commit() : tx.rollback(), (tx, error) -> tx.rollback(),
							SqlTransaction::rollback);
				}
				case 10 -> {
					// the isolation-level variants, with a step of garbage inside
					List<Object> steps = steps(safe);
					yield node.inTransaction(io.r2dbc.spi.IsolationLevel.READ_COMMITTED,
							tx -> Flux.fromIterable(steps).concatMap(step -> run(tx, step)));
				}
				case 11 -> locking(node, sql);
				default -> nulls(node, sql);
			};
		}

		// the lock manager's entry points with random names and changes: a bad name is the Mono's error
		private Publisher<?> locking(AsyncSqlNode node, String sql) {
			String table = this.in.chance(50) ? "fuzz_items" : sql;
			Map<String, Object> changes = this.in.chance(50) ? Map.of("name", "x") : params(sql);
			return switch (this.in.random().nextInt(3)) {
				case 0 -> LOCKS.readWithVersion(node, table, 1L).onErrorResume(LOCK_MISUSE,
						ex -> Mono.empty());
				case 1 -> LOCKS.updateWithVersion(node, table, 1L, changes, 1)
					.onErrorResume(LOCK_MISUSE, ex -> Mono.empty());
				default -> LOCKS.update(node, table, 1L, row -> changes)
					.onErrorResume(LOCK_MISUSE, ex -> Mono.empty());
			};
		}

		// the null arguments every method documents as refused at once
		private Publisher<?> nulls(AsyncSqlNode node, String sql) {
			this.refusalExpected = true;
			return switch (this.in.random().nextInt(5)) {
				case 0 -> node.execute((String) null);
				case 1 -> node.execute(sql, (Map<String, ?>) null);
				case 2 -> node.stream(sql, null);
				case 3 -> node.executeMany(sql, null);
				default -> node.execute((Query) null);
			};
		}

		// a step is prepared before the transaction, so that a documented refusal cannot end up inside it
		private List<Object> steps(boolean safe) {
			List<Object> steps = new ArrayList<>();
			int count = 1 + this.in.random().nextInt(3);
			for (int i = 0; i < count; i++) {
				String sql = this.in.sql(safe);
				try {
					steps.add(switch (this.in.random().nextInt(3)) {
						case 0 -> query(sql);
						case 1 -> new Batch(sql, paramSets(sql));
						default -> new Streamed(query(sql));
					});
				}
				catch (IllegalArgumentException ex) {
					// an out-of-range fetch size or timeout, refused by the builder as documented
				}
			}
			this.refusalExpected = false;
			return steps;
		}

		private Publisher<?> run(SqlOperations tx, Object step) {
			if (step instanceof Query query) {
				return (query.fetchMode() == FetchMode.MANY && query.fetchSize() < 1) ? Mono.empty() : tx.execute(query);
			}
			if (step instanceof Batch batch) {
				return tx.executeMany(batch.sql(), batch.sets());
			}
			return tx.stream(((Streamed) step).query());
		}

		private Publisher<?> stream(AsyncSqlNode node, Query query) {
			Flux<Map<String, Object>> rows = node.stream(query);
			return switch (this.in.random().nextInt(3)) {
				case 0 -> rows.take(1);
				case 1 -> rows.limitRate(1);
				default -> rows;
			};
		}

		private Query query(String sql) {
			Query query = Query.of(sql);
			if (this.in.chance(60)) {
				query = this.in.chance(85) ? query.params(params(sql)) : query.positional(this.in.positional());
			}
			if (this.in.chance(50)) {
				query = query.fetchMode(this.in.pick(FetchMode.values()));
			}
			if (this.in.chance(50)) {
				int size = this.in.fetchSize();
				this.refusalExpected = size < 1;
				query = query.fetchSize(size);
			}
			if (this.in.chance(40)) {
				Duration timeout = this.in.timeout();
				this.refusalExpected = timeout.isNegative() || timeout.isZero();
				query = query.timeout(timeout);
			}
			if (this.in.chance(15)) {
				query = query.parameterTypes(Map.of(this.in.pick(new String[] { "v", "id", "doc", "x" }),
						this.in.pick(new String[] { "jsonb", "json", "integer", "text[]", "numeric(10,2)", "uuid",
								"int; DROP TABLE fuzz_items", "", "x'", "timestamp with time zone" })));
			}
			this.refusalExpected = query.fetchMode() == FetchMode.MANY && query.fetchSize() < 1;
			return query;
		}

		private Map<String, Object> params(String sql) {
			List<String> names = new ArrayList<>();
			Matcher matcher = NAMED.matcher(sql);
			while (matcher.find()) {
				if (matcher.start() == 0 || sql.charAt(matcher.start() - 1) != ':') {
					names.add(matcher.group(1));
				}
			}
			return this.in.params(names);
		}

		private List<Map<String, Object>> paramSets(String sql) {
			int size = this.in.random().nextInt(5);
			List<Map<String, Object>> sets = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				sets.add(this.in.chance(5) ? null : params(sql));
			}
			return Collections.unmodifiableList(new ArrayList<>(sets));
		}

	}

	private record Batch(String sql, List<Map<String, Object>> sets) {
	}

	private record Streamed(Query query) {
	}

	// a database failure is an R2DBC exception, or a failure the driver itself raised (r2dbc-h2 throws an
	// IndexOutOfBoundsException for some multi-statement texts); one raised by asyncsql's own code is not
	private static boolean fromDatabase(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (current instanceof R2dbcException || raisedByDriver(current)) {
				return true;
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return false;
	}

	private static boolean raisedByDriver(Throwable failure) {
		for (StackTraceElement frame : failure.getStackTrace()) {
			String type = frame.getClassName();
			if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
				continue;
			}
			return type.startsWith("io.r2dbc.") || type.startsWith("org.h2.") || type.startsWith("org.mariadb.")
					|| type.startsWith("io.netty.");
		}
		return false;
	}

	// the failure and where it came from, enough to find the line without a debugger
	private static String trace(Throwable failure) {
		StringBuilder text = new StringBuilder(abbreviate(String.valueOf(failure)));
		StackTraceElement[] frames = (failure != null) ? failure.getStackTrace() : new StackTraceElement[0];
		for (int i = 0; i < Math.min(6, frames.length); i++) {
			text.append("\n\t\tat ").append(frames[i]);
		}
		return text.toString();
	}

	private static String abbreviate(String text) {
		if (text == null) {
			return "null";
		}
		String shown = (text.length() > 300) ? text.substring(0, 300) + "...(" + text.length() + " chars)" : text;
		// control characters and lone surrogates would garble the report: show them as escapes
		StringBuilder printable = new StringBuilder(shown.length());
		shown.chars().forEach(c -> printable.append((c >= 0x20 && c < 0x7f) ? String.valueOf((char) c)
				: String.format("\\u%04x", c)));
		return printable.toString();
	}

}
