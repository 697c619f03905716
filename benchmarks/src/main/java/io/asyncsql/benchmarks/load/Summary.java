package io.asyncsql.benchmarks.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * One client's figures for a workload at one concurrency, over its timed rounds: the median round's throughput,
 * latency percentiles of all timed calls together, and CPU and allocation per call.
 *
 * @param workload the workload
 * @param concurrency calls in flight
 * @param client the client
 * @param throughput median calls per second over the rounds
 * @param roundThroughputs each round's calls per second
 * @param p50Micros median latency in microseconds
 * @param p99Micros 99th percentile latency
 * @param p999Micros 99.9th percentile latency
 * @param cpuMicrosPerCall process CPU time per call
 * @param allocatedBytesPerCall bytes allocated per call by platform threads, or -1 when unknown
 * @param calls successful timed calls
 * @param errors failed calls, warm-up included
 * @param correct whether every correctness check passed, warm-up included
 */
record Summary(Workload workload, int concurrency, String client, double throughput, List<Double> roundThroughputs,
		double p50Micros, double p99Micros, double p999Micros, double cpuMicrosPerCall, double allocatedBytesPerCall,
		long calls, long errors, boolean correct) {

	/**
	 * Sums up the rounds of one client.
	 * @param slots the client's slots of one workload and concurrency, warm-up included
	 * @return the summary
	 */
	static Summary of(List<SlotResult> slots) {
		SlotResult first = slots.get(0);
		Histogram latencies = new Histogram(3);
		List<Double> throughputs = new ArrayList<>();
		long calls = 0;
		long errors = 0;
		long cpu = 0;
		long allocated = 0;
		boolean allocationKnown = true;
		boolean correct = true;
		for (SlotResult slot : slots) {
			errors += slot.outcome().errors();
			correct &= slot.correct();
			if (!slot.timed()) {
				continue;
			}
			throughputs.add(slot.outcome().throughput());
			latencies.add(slot.outcome().latencies());
			calls += slot.outcome().operations();
			cpu += slot.outcome().cpuNanos();
			allocationKnown &= slot.outcome().allocatedBytes() >= 0;
			allocated += slot.outcome().allocatedBytes();
		}
		return new Summary(first.workload(), first.concurrency(), first.client(), median(throughputs),
				List.copyOf(throughputs), latencies.getValueAtPercentile(50) / 1000.0,
				latencies.getValueAtPercentile(99) / 1000.0, latencies.getValueAtPercentile(99.9) / 1000.0,
				(calls > 0) ? cpu / 1000.0 / calls : Double.NaN,
				(calls > 0 && allocationKnown) ? (double) allocated / calls : -1, calls, errors, correct);
	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return 0;
		}
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
