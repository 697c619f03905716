package io.asyncsql.benchmarks.load;

import java.time.Duration;

/**
 * One way of talking to PostgreSQL, able to run every workload. A client owns its pool (of the harness's pool
 * size) from creation to {@link #close()}.
 */
interface BenchmarkClient extends AutoCloseable {

	/** @return the name in reports */
	String name();

	/**
	 * Runs a workload in a closed loop.
	 * @param workload what each call does
	 * @param concurrency calls in flight
	 * @param duration how long calls are started
	 * @return what was measured
	 */
	LoopOutcome run(Workload workload, int concurrency, Duration duration);

	/** Closes the client's pool and threads. */
	@Override
	void close();

}
