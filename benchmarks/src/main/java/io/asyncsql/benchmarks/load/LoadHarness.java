package io.asyncsql.benchmarks.load;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.asyncsql.locking.ConflictResolution;
import io.asyncsql.locking.LockingSettings;

/**
 * The load harness: creates its schema, opens every client, runs each workload at each concurrency with the
 * clients taking turns within every round (so drift of the machine hits all of them alike), checks the data after
 * every turn, prints a table per workload and writes every figure to a JSON file. Finally it runs the hot-row
 * comparison and drops its schema.
 */
public final class LoadHarness {

	private final HarnessOptions options;

	private final PrintStream out;

	private final List<SlotResult> slots = new ArrayList<>();

	private final List<HotRowContention.HotRowOutcome> hotRow = new ArrayList<>();

	/**
	 * Creates a harness.
	 * @param options the settings
	 * @param out where progress and tables go
	 */
	LoadHarness(HarnessOptions options, PrintStream out) {
		this.options = options;
		this.out = out;
	}

	/**
	 * Parses the arguments and runs the harness.
	 * @param args the arguments after the {@code load} command
	 * @return the process exit code: 0 when every check passed, 1 when a check failed or calls failed, 2 for bad
	 * arguments
	 */
	public static int runCommandLine(List<String> args) {
		HarnessOptions options;
		try {
			options = HarnessOptions.parse(args, Runtime.version().feature());
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			return 2;
		}
		try {
			return new LoadHarness(options, System.out).run() ? 0 : 1;
		}
		catch (Exception ex) {
			System.err.println("The load harness failed: " + ex);
			ex.printStackTrace();
			return 1;
		}
	}

	/**
	 * Runs everything the options ask for.
	 * @return whether every call succeeded and every check passed
	 * @throws Exception when the database cannot be set up or a run hangs
	 */
	boolean run() throws Exception {
		Target target = Target.parse(this.options.url());
		Instant started = Instant.now();
		double loadBefore = loadAverage();
		this.out.printf(Locale.ROOT, "asyncsql load harness: %s, Java %s, %d cores, load average %.2f%n",
				target.describe(), Runtime.version(), Runtime.getRuntime().availableProcessors(), loadBefore);
		long setupStart = System.nanoTime();
		BenchSchema schema = BenchSchema.create(target, this.options.rows());
		Thread cleanup = new Thread(schema::close, "bench-schema-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		String serverVersion;
		try {
			serverVersion = schema.serverVersion();
			this.out.printf(Locale.ROOT, "PostgreSQL %s; schema %s with %,d rows created in %.1f s%n", serverVersion,
					schema.name(), this.options.rows(), (System.nanoTime() - setupStart) / 1e9);
			checkConnectionBudget(schema);
			runWorkloads(target, schema);
			if (this.options.hotRow()) {
				runHotRow(target, schema);
			}
		}
		finally {
			if (this.options.keepSchema()) {
				schema.keep();
			}
			else {
				schema.close();
			}
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
		double loadAfter = loadAverage();
		List<Summary> summaries = summaries();
		Report report = new Report(summaries, this.hotRow);
		this.out.println();
		this.out.print(report.tables());
		Map<String, Object> meta = meta(target, serverVersion, started, loadBefore, loadAfter);
		Files.writeString(this.options.out(), Json.write(report.json(meta, this.slots)));
		this.out.printf(Locale.ROOT, "%nload average %.2f at the start, %.2f at the end; results written to %s%n",
				loadBefore, loadAfter, this.options.out().toAbsolutePath());
		boolean clean = summaries.stream().allMatch(s -> s.correct() && s.errors() == 0)
				&& this.hotRow.stream().allMatch(HotRowContention.HotRowOutcome::correct);
		if (!clean) {
			this.out.println("SOME CHECKS FAILED or calls failed: see the check and errors columns");
		}
		return clean;
	}

	private void checkConnectionBudget(BenchSchema schema) throws SQLException {
		int needed = this.options.clients().size() * this.options.poolSize();
		int free = schema.freeConnections();
		// leave room for everyone else on a shared server
		if (needed + 10 > free) {
			throw new IllegalStateException("the clients need " + needed + " connections but the server has only " + free
					+ " free; use a smaller --pool or fewer --clients");
		}
	}

	private void runWorkloads(Target target, BenchSchema schema) throws Exception {
		if (this.options.workloads().isEmpty()) {
			return;
		}
		List<BenchmarkClient> clients = new ArrayList<>();
		try {
			for (String name : this.options.clients()) {
				clients.add(open(name, target, schema));
			}
			if (!this.options.jitWarmup().isZero()) {
				// compile every client's code paths before anything is timed: the first measured workload must not
				// pay for the JIT
				int concurrency = this.options.concurrency().stream().max(Integer::compare).orElse(8);
				for (Workload workload : this.options.workloads()) {
					for (BenchmarkClient client : clients) {
						LoopOutcome outcome = client.run(workload, concurrency, this.options.jitWarmup());
						this.out.printf(Locale.ROOT, "%-12s c=%-3d jit     %-20s %10.0f calls/s%s%n", workload.id(),
								concurrency, client.name(), outcome.throughput(),
								(outcome.errors() > 0) ? "  ERRORS " + outcome.errors() + " (" + outcome.firstError() + ")" : "");
					}
				}
			}
			for (Workload workload : this.options.workloads()) {
				for (int concurrency : this.options.concurrency()) {
					for (int round = 0; round <= this.options.rounds(); round++) {
						Duration duration = (round == 0) ? this.options.warmup() : this.options.duration();
						if (duration.isZero()) {
							continue;
						}
						// a different client goes first in every round
						for (int i = 0; i < clients.size(); i++) {
							BenchmarkClient client = clients.get((i + round) % clients.size());
							this.slots.add(turn(client, schema, workload, concurrency, round, duration));
						}
					}
				}
			}
		}
		finally {
			for (BenchmarkClient client : clients) {
				client.close();
			}
		}
	}

	private BenchmarkClient open(String name, Target target, BenchSchema schema) {
		int pool = this.options.poolSize();
		return switch (name) {
			case "asyncsql" -> new AsyncSqlClient(target, schema, pool);
			case "r2dbc-raw" -> new R2dbcRawClient(target, schema, pool);
			case "databaseclient" -> new SpringDatabaseClient(target, schema, pool);
			case "jdbc-hikari" -> new JdbcHikariClient(target, schema, pool, false);
			case "jdbc-hikari-virtual" -> new JdbcHikariClient(target, schema, pool, true);
			case "vertx-pg" -> new VertxPgClient(target, schema, pool, this.options.vertxPipelining());
			default -> throw new IllegalArgumentException("unknown client " + name);
		};
	}

	private SlotResult turn(BenchmarkClient client, BenchSchema schema, Workload workload, int concurrency, int round,
			Duration duration) throws SQLException {
		BenchSchema.Snapshot before = schema.snapshot();
		LoopOutcome outcome = client.run(workload, concurrency, duration);
		BenchSchema.Snapshot after = schema.snapshot();
		String check = check(workload, before, after, outcome);
		SlotResult slot = new SlotResult(workload, concurrency, client.name(), round, outcome, check == null,
				(check != null) ? check : "ok");
		this.out.printf(Locale.ROOT, "%-12s c=%-3d %-7s %-20s %10.0f calls/s  p99 %8.2f ms%s%s%n", workload.id(),
				concurrency, (round == 0) ? "warm-up" : "round " + round, client.name(), outcome.throughput(),
				outcome.latencies().getValueAtPercentile(99) / 1e6,
				(outcome.errors() > 0) ? "  ERRORS " + outcome.errors() + " (" + outcome.firstError() + ")" : "",
				(check != null) ? "  CHECK FAILED: " + check : "");
		return slot;
	}

	/**
	 * The correctness check of a turn.
	 * @return {@code null} when the data is right, else what is wrong
	 */
	static String check(Workload workload, BenchSchema.Snapshot before, BenchSchema.Snapshot after, LoopOutcome outcome) {
		if (after.walletSum() != before.walletSum()) {
			return "wallet balances changed in total by " + (after.walletSum() - before.walletSum());
		}
		long counted = outcome.operations();
		return switch (workload) {
			case UPDATE -> (after.counterSum() - before.counterSum() == counted) ? null
					: "counters grew by " + (after.counterSum() - before.counterSum()) + " for " + counted + " updates";
			case TRANSFER -> (after.transferCount() - before.transferCount() == counted) ? null
					: (after.transferCount() - before.transferCount()) + " transfers logged for " + counted + " transfers";
			case POINT_SELECT, SELECT_100 -> (after.counterSum() == before.counterSum()
					&& after.transferCount() == before.transferCount()) ? null : "a read-only workload changed data";
		};
	}

	private void runHotRow(Target target, BenchSchema schema) throws Exception {
		HotRowContention contention = new HotRowContention(target, schema, this.options.poolSize());
		int writers = this.options.hotWriters();
		Duration duration = this.options.hotDuration();
		LockingSettings defaults = LockingSettings.DEFAULT;
		LockingSettings eager = new LockingSettings("version", "id", 10, Duration.ofMillis(1), 1.5,
				ConflictResolution.RETRY, 1000);
		List<HotRowContention.HotRowOutcome> outcomes = List.of(
				contention.optimistic("update(..) RETRY, defaults (3 retries, 100 ms x2)", defaults, writers, duration),
				contention.pessimistic(writers, duration),
				contention.optimistic("update(..) RETRY, 10 retries, 1 ms x1.5", eager, writers, duration));
		for (HotRowContention.HotRowOutcome outcome : outcomes) {
			this.out.printf(Locale.ROOT, "hot-row  %-50s %8.1f increments/s  %.2f retries/success  %s%n",
					outcome.label(), outcome.loop().throughput(), outcome.retriesPerSuccess(), outcome.check());
		}
		this.hotRow.addAll(outcomes);
	}

	private List<Summary> summaries() {
		Map<String, List<SlotResult>> byCell = new LinkedHashMap<>();
		for (SlotResult slot : this.slots) {
			byCell.computeIfAbsent(slot.workload() + "/" + slot.concurrency() + "/" + slot.client(), k -> new ArrayList<>())
				.add(slot);
		}
		List<Summary> summaries = new ArrayList<>();
		for (List<SlotResult> cell : byCell.values()) {
			summaries.add(Summary.of(cell));
		}
		return summaries;
	}

	private Map<String, Object> meta(Target target, String serverVersion, Instant started, double loadBefore,
			double loadAfter) {
		Map<String, Object> meta = new LinkedHashMap<>();
		meta.put("started", started.toString());
		meta.put("finished", Instant.now().toString());
		meta.put("target", target.describe());
		meta.put("postgresql", serverVersion);
		meta.put("java", Runtime.version().toString());
		meta.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
		meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		meta.put("cores", Runtime.getRuntime().availableProcessors());
		meta.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / (1024 * 1024));
		meta.put("loadAverageStart", loadBefore);
		meta.put("loadAverageEnd", loadAfter);
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("clients", this.options.clients());
		settings.put("workloads", this.options.workloads().stream().map(Workload::id).toList());
		settings.put("hotRow", this.options.hotRow());
		settings.put("concurrency", this.options.concurrency());
		settings.put("pool", this.options.poolSize());
		settings.put("jitWarmupMillis", this.options.jitWarmup().toMillis());
		settings.put("warmupMillis", this.options.warmup().toMillis());
		settings.put("durationMillis", this.options.duration().toMillis());
		settings.put("rounds", this.options.rounds());
		settings.put("rows", this.options.rows());
		settings.put("hotWriters", this.options.hotWriters());
		settings.put("hotDurationMillis", this.options.hotDuration().toMillis());
		settings.put("vertxPipelining", this.options.vertxPipelining());
		meta.put("settings", settings);
		return meta;
	}

	private static double loadAverage() {
		return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
	}

	List<SlotResult> slots() {
		return this.slots;
	}

	List<HotRowContention.HotRowOutcome> hotRow() {
		return this.hotRow;
	}

}
