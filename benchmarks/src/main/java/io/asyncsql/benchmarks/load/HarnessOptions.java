package io.asyncsql.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load harness's settings, from {@code --name=value} (or {@code --name value}) arguments. Every duration and
 * size has a default that keeps a full run on a 2-core machine under about ten minutes.
 *
 * @param url the server, as an R2DBC URL
 * @param clients the clients to compare, in the order they take turns
 * @param workloads the workloads
 * @param hotRow whether to run the hot-row contention comparison
 * @param concurrency the numbers of concurrent callers
 * @param poolSize connections per client
 * @param jitWarmup how long every client runs every workload once before anything is timed
 * @param warmup length of the untimed round before the timed ones, per client
 * @param duration length of one timed round, per client
 * @param rounds timed rounds per workload and concurrency
 * @param rows rows of the point-select table
 * @param hotWriters concurrent writers on the hot row
 * @param hotDuration how long each hot-row strategy runs
 * @param vertxPipelining the Vert.x pipelining limit (1: no pipelining)
 * @param out where the JSON results go
 * @param keepSchema whether to leave the benchmark schema in place at the end
 */
record HarnessOptions(String url, List<String> clients, List<Workload> workloads, boolean hotRow,
		List<Integer> concurrency, int poolSize, Duration jitWarmup, Duration warmup, Duration duration, int rounds, int rows,
		int hotWriters, Duration hotDuration, int vertxPipelining, Path out, boolean keepSchema) {

	static final String DEFAULT_URL = "r2dbc:postgresql://postgres@127.0.0.1:5432/test";

	static final String USAGE = """
			usage: java -jar asyncsql-benchmarks.jar [load] [options]
			       java -jar asyncsql-benchmarks.jar jmh [JMH options, e.g. -prof gc]

			load options (defaults in brackets):
			  --url=R2DBC_URL         server [$ASYNCSQL_BENCH_URL, else %s]
			  --clients=a,b,...       asyncsql, r2dbc-raw, databaseclient, jdbc-hikari, jdbc-hikari-virtual (Java 21+),
			                          vertx-pg [all available]
			  --workloads=a,b,...     point-select, update, transfer, select-100, hot-row [all]
			  --concurrency=1,8,32    concurrent callers [1,8,32]
			  --pool=N                connections per client [8]
			  --jit-warmup=2s         untimed run of every client and workload before anything is timed [2s]
			  --warmup=500ms          untimed round per client before the timed rounds [500ms]
			  --duration=2s           one timed round per client [2s]
			  --rounds=N              timed rounds, clients alternating within each [3]
			  --rows=N                rows of the point-select table [1000000]
			  --hot-writers=N         writers of the hot-row comparison [16]
			  --hot-duration=10s      run time of each hot-row strategy [10s]
			  --vertx-pipelining=N    Vert.x pipelining limit; 1 sends one statement at a time [1]
			  --out=FILE              JSON results [benchmark-results.json]
			  --keep-schema           leave the benchmark schema in place
			""".formatted(DEFAULT_URL);

	/**
	 * Parses arguments.
	 * @param args the arguments after the command
	 * @param javaFeature the running Java version, which decides whether the virtual-thread client exists
	 * @return the options
	 * @throws IllegalArgumentException naming the argument that is wrong
	 */
	static HarnessOptions parse(List<String> args, int javaFeature) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
			}
			String name = arg.substring(2);
			String value;
			int equals = name.indexOf('=');
			if (equals >= 0) {
				value = name.substring(equals + 1);
				name = name.substring(0, equals);
			}
			else if (name.equals("keep-schema") || name.equals("help")) {
				value = "true";
			}
			else if (i + 1 < args.size()) {
				value = args.get(++i);
			}
			else {
				throw new IllegalArgumentException("--" + name + " needs a value");
			}
			values.put(name, value);
		}
		if (values.containsKey("help")) {
			throw new IllegalArgumentException(USAGE);
		}
		String env = System.getenv("ASYNCSQL_BENCH_URL");
		String url = values.getOrDefault("url", (env != null && !env.isBlank()) ? env : DEFAULT_URL);
		List<String> available = new ArrayList<>(List.of("asyncsql", "r2dbc-raw", "databaseclient", "jdbc-hikari"));
		if (javaFeature >= 21) {
			available.add("jdbc-hikari-virtual");
		}
		available.add("vertx-pg");
		List<String> clients = new ArrayList<>();
		for (String client : list(values.getOrDefault("clients", String.join(",", available)))) {
			if (client.equals("jdbc-hikari-virtual") && javaFeature < 21) {
				throw new IllegalArgumentException("--clients: jdbc-hikari-virtual needs Java 21 or later (running "
						+ javaFeature + ")");
			}
			if (!available.contains(client)) {
				throw new IllegalArgumentException("--clients: unknown client '" + client + "'; known: " + available);
			}
			if (!clients.contains(client)) {
				clients.add(client);
			}
		}
		if (!clients.contains("r2dbc-raw")) {
			// every ratio is taken against it
			clients.add(0, "r2dbc-raw");
		}
		List<Workload> workloads = new ArrayList<>();
		boolean hotRow = false;
		for (String workload : list(values.getOrDefault("workloads", "point-select,update,transfer,select-100,hot-row"))) {
			if (workload.equals("hot-row")) {
				hotRow = true;
			}
			else {
				workloads.add(Workload.of(workload));
			}
		}
		List<Integer> concurrency = new ArrayList<>();
		for (String level : list(values.getOrDefault("concurrency", "1,8,32"))) {
			concurrency.add(positive("concurrency", level));
		}
		HarnessOptions options = new HarnessOptions(url, List.copyOf(clients), List.copyOf(workloads), hotRow,
				List.copyOf(concurrency), positive("pool", values.getOrDefault("pool", "8")),
				duration("jit-warmup", values.getOrDefault("jit-warmup", "2s"), true),
				duration("warmup", values.getOrDefault("warmup", "500ms"), true),
				duration("duration", values.getOrDefault("duration", "2s"), false),
				positive("rounds", values.getOrDefault("rounds", "3")),
				positive("rows", values.getOrDefault("rows", "1000000")),
				positive("hot-writers", values.getOrDefault("hot-writers", "16")),
				duration("hot-duration", values.getOrDefault("hot-duration", "10s"), false),
				positive("vertx-pipelining", values.getOrDefault("vertx-pipelining", "1")),
				Path.of(values.getOrDefault("out", "benchmark-results.json")),
				Boolean.parseBoolean(values.getOrDefault("keep-schema", "false")));
		values.keySet().removeAll(List.of("url", "clients", "workloads", "concurrency", "pool", "jit-warmup", "warmup", "duration",
				"rounds", "rows", "hot-writers", "hot-duration", "vertx-pipelining", "out", "keep-schema"));
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("unknown option --" + values.keySet().iterator().next() + "\n" + USAGE);
		}
		if (options.rows() < 200) {
			throw new IllegalArgumentException("--rows must be at least 200 (the 100-row select needs room)");
		}
		return options;
	}

	private static List<String> list(String value) {
		List<String> items = new ArrayList<>();
		for (String item : value.split(",")) {
			if (!item.isBlank()) {
				items.add(item.trim().toLowerCase(Locale.ROOT));
			}
		}
		return items;
	}

	private static int positive(String name, String value) {
		try {
			int number = Integer.parseInt(value.trim().replace("_", ""));
			if (number < 1) {
				throw new IllegalArgumentException("--" + name + " must be at least 1 but was " + value);
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a whole number but was '" + value + "'", ex);
		}
	}

	/**
	 * Parses {@code 500ms}, {@code 2s} or {@code 1m}.
	 * @param name the option, for messages
	 * @param value the text
	 * @param zeroAllowed whether {@code 0s} is accepted
	 * @return the duration
	 */
	static Duration duration(String name, String value, boolean zeroAllowed) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		Duration duration;
		try {
			if (text.endsWith("ms")) {
				duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
			}
			else if (text.endsWith("s")) {
				duration = Duration.ofMillis((long) (Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
			}
			else if (text.endsWith("m")) {
				duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
			}
			else {
				throw new NumberFormatException();
			}
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--" + name + " must be a duration such as 500ms, 2s or 1m but was '"
					+ value + "'", ex);
		}
		if (duration.isNegative() || (!zeroAllowed && duration.isZero())) {
			throw new IllegalArgumentException("--" + name + " must be " + (zeroAllowed ? "0 or more" : "positive")
					+ " but was " + value);
		}
		return duration;
	}

}
