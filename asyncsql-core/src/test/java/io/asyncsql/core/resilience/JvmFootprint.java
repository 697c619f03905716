package io.asyncsql.core.resilience;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Set;
import java.util.TreeSet;

/**
 * The heap in use after a full collection and the live threads, to compare a long run's end with its start.
 * @param usedHeap bytes of heap in use after collecting garbage
 * @param threads the names of the live threads
 */
record JvmFootprint(long usedHeap, Set<String> threads) {

	private static final int MAX_COLLECTIONS = 5;

	/**
	 * Collects garbage until the heap in use stops shrinking (at most a few full collections), then reads it.
	 * @return the footprint now
	 */
	static JvmFootprint now() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < MAX_COLLECTIONS; i++) {
			System.gc();
			long after = memory.getHeapMemoryUsage().getUsed();
			if (after >= used * 0.99) {
				used = Math.min(used, after);
				break;
			}
			used = after;
		}
		Set<String> threads = new TreeSet<>();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.isAlive()) {
				threads.add(thread.getName());
			}
		}
		return new JvmFootprint(used, threads);
	}

	/**
	 * @param start the footprint at the start
	 * @return how much the heap grew since, as a fraction of the start ({@code 0.05} is 5 %)
	 */
	double heapGrowthSince(JvmFootprint start) {
		return (double) (this.usedHeap - start.usedHeap) / start.usedHeap;
	}

	/**
	 * @param start the footprint at the start
	 * @return the threads alive now that were not alive at the start
	 */
	Set<String> threadsAddedSince(JvmFootprint start) {
		Set<String> added = new TreeSet<>(this.threads);
		added.removeAll(start.threads);
		return added;
	}

	@Override
	public String toString() {
		return String.format("%.1f MB heap after GC, %d threads", this.usedHeap / 1048576.0, this.threads.size());
	}

}
