package io.asyncsql.benchmarks;

import java.util.Arrays;
import java.util.List;

import io.asyncsql.benchmarks.load.LoadHarness;

/**
 * Entry point of {@code asyncsql-benchmarks.jar}: {@code load} (the default) runs the load harness against a
 * PostgreSQL server, {@code jmh} runs the microbenchmarks with JMH's own command line.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = Arrays.asList(args);
		if (!arguments.isEmpty() && arguments.get(0).equals("jmh")) {
			org.openjdk.jmh.Main.main(arguments.subList(1, arguments.size()).toArray(String[]::new));
			return;
		}
		List<String> load = (!arguments.isEmpty() && arguments.get(0).equals("load"))
				? arguments.subList(1, arguments.size()) : arguments;
		System.exit(LoadHarness.runCommandLine(load));
	}

}
