package io.asyncsql.benchmarks.load;

import java.time.Duration;

/**
 * A non-blocking client: each workload is one {@link AsyncOperation}, run with {@link ClosedLoop#async}.
 */
abstract class AsyncClient implements BenchmarkClient {

	@Override
	public final LoopOutcome run(Workload workload, int concurrency, Duration duration) {
		return ClosedLoop.async(operation(workload), concurrency, duration);
	}

	/**
	 * The call a workload makes.
	 * @param workload the workload
	 * @return its operation
	 */
	abstract AsyncOperation operation(Workload workload);

}
