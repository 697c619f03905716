package io.asyncsql.benchmarks.load;

/**
 * One client's turn in one round: a workload at one concurrency for one round's duration, and whether the data
 * it left behind is right.
 *
 * @param workload the workload
 * @param concurrency calls in flight
 * @param client the client
 * @param round 0 for the warm-up round, 1.. for timed rounds
 * @param outcome what was measured
 * @param correct whether the correctness check passed
 * @param check what the correctness check found
 */
record SlotResult(Workload workload, int concurrency, String client, int round, LoopOutcome outcome, boolean correct,
		String check) {

	/** @return whether the round counts towards the figures */
	boolean timed() {
		return this.round > 0;
	}

}
