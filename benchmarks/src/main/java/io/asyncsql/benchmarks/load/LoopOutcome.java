package io.asyncsql.benchmarks.load;

import org.HdrHistogram.Histogram;

/**
 * What one closed-loop run measured.
 *
 * @param operations calls that succeeded with a correct result
 * @param errors calls that failed or returned a wrong result
 * @param firstError the first failure's description, or {@code null}
 * @param elapsedNanos wall-clock time from the first call to the last completion
 * @param latencies latency of every successful call, in nanoseconds
 * @param cpuNanos CPU time the whole process used meanwhile (client, driver, GC, JIT)
 * @param allocatedBytes bytes allocated by the process's platform threads meanwhile, or -1 when unknown
 */
record LoopOutcome(long operations, long errors, String firstError, long elapsedNanos, Histogram latencies,
		long cpuNanos, long allocatedBytes) {

	/** @return successful calls per second */
	double throughput() {
		return (this.elapsedNanos > 0) ? this.operations * 1e9 / this.elapsedNanos : 0;
	}

}
