package io.asyncsql.benchmarks;

/**
 * Entry point of the load harness.
 */
public final class BenchmarkMain {

	private BenchmarkMain() {
	}

	public static void main(String[] args) {
		System.out.println("asyncsql benchmarks: no workload selected");
	}

}
