package io.asyncsql.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the process's CPU time and the bytes its platform threads allocated, so that a run can report CPU and
 * allocation per call. Allocation is summed per thread between two snapshots: a thread that ends in between loses
 * its share, which is why the blocking clients keep their threads until the measurement is taken.
 */
final class ProcessMeter {

	private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final com.sun.management.ThreadMXBean THREADS = threads();

	private final long cpuStart;

	private final Map<Long, Long> allocationStart;

	private ProcessMeter() {
		this.allocationStart = allocations();
		this.cpuStart = OS.getProcessCpuTime();
	}

	/** @return a meter started now */
	static ProcessMeter start() {
		return new ProcessMeter();
	}

	/** @return CPU nanoseconds since the start */
	long cpuNanos() {
		return OS.getProcessCpuTime() - this.cpuStart;
	}

	/** @return bytes allocated since the start by threads alive at both ends, or -1 when not supported */
	long allocatedBytes() {
		if (THREADS == null) {
			return -1;
		}
		long total = 0;
		for (Map.Entry<Long, Long> now : allocations().entrySet()) {
			total += now.getValue() - this.allocationStart.getOrDefault(now.getKey(), 0L);
		}
		return total;
	}

	private static Map<Long, Long> allocations() {
		Map<Long, Long> bytes = new HashMap<>();
		if (THREADS == null) {
			return bytes;
		}
		long[] ids = THREADS.getAllThreadIds();
		long[] allocated = THREADS.getThreadAllocatedBytes(ids);
		for (int i = 0; i < ids.length; i++) {
			if (allocated[i] >= 0) {
				bytes.put(ids[i], allocated[i]);
			}
		}
		return bytes;
	}

	private static com.sun.management.ThreadMXBean threads() {
		if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
				&& bean.isThreadAllocatedMemorySupported()) {
			bean.setThreadAllocatedMemoryEnabled(true);
			return bean;
		}
		return null;
	}

}
