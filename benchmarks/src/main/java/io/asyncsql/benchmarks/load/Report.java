package io.asyncsql.benchmarks.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the summaries into one Markdown table per workload (throughput, latency percentiles, the ratio to
 * {@code r2dbc-raw}, CPU and allocation per call, errors and checks) and into the JSON results document.
 */
final class Report {

	static final String BASELINE = "r2dbc-raw";

	private final List<Summary> summaries;

	private final List<HotRowContention.HotRowOutcome> hotRow;

	Report(List<Summary> summaries, List<HotRowContention.HotRowOutcome> hotRow) {
		this.summaries = summaries;
		this.hotRow = hotRow;
	}

	/**
	 * A client's throughput relative to {@code r2dbc-raw} on the same workload and concurrency.
	 * @param summary the client's figures
	 * @return the ratio, or NaN without a baseline
	 */
	double ratio(Summary summary) {
		for (Summary other : this.summaries) {
			if (other.workload() == summary.workload() && other.concurrency() == summary.concurrency()
					&& other.client().equals(BASELINE)) {
				return (other.throughput() > 0) ? summary.throughput() / other.throughput() : Double.NaN;
			}
		}
		return Double.NaN;
	}

	/** @return the tables, as Markdown */
	String tables() {
		StringBuilder out = new StringBuilder();
		Set<Workload> workloads = new LinkedHashSet<>();
		this.summaries.forEach(s -> workloads.add(s.workload()));
		for (Workload workload : workloads) {
			out.append("### ").append(workload.title()).append(" (").append(workload.id()).append(")\n\n");
			out.append("| c | client | calls/s | x r2dbc-raw | p50 ms | p99 ms | p99.9 ms | CPU us/call | alloc KB/call | errors | check |\n");
			out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
			for (Summary s : this.summaries) {
				if (s.workload() != workload) {
					continue;
				}
				out.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %s | %d | %s |%n",
						s.concurrency(), s.client(), s.throughput(), ratio(s), s.p50Micros() / 1000, s.p99Micros() / 1000,
						s.p999Micros() / 1000, s.cpuMicrosPerCall(),
						(s.allocatedBytesPerCall() >= 0) ? String.format(Locale.ROOT, "%.1f", s.allocatedBytesPerCall() / 1024)
								: "n/a",
						s.errors(), s.correct() ? "ok" : "FAILED"));
			}
			out.append('\n');
		}
		if (!this.hotRow.isEmpty()) {
			HotRowContention.HotRowOutcome first = this.hotRow.get(0);
			out.append("### hot-row contention (").append(first.writers()).append(" writers, 1 row, ")
				.append(String.format(Locale.ROOT, "%.0f s", first.loop().elapsedNanos() / 1e9)).append(" each)\n\n");
			out.append("| strategy | increments/s | retries/success | gave up | p50 ms | p99 ms | check |\n");
			out.append("|---|---:|---:|---:|---:|---:|---|\n");
			for (HotRowContention.HotRowOutcome h : this.hotRow) {
				out.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %d | %.2f | %.2f | %s |%n", h.label(),
						h.loop().throughput(), h.retriesPerSuccess(), h.loop().errors(),
						h.loop().latencies().getValueAtPercentile(50) / 1e6,
						h.loop().latencies().getValueAtPercentile(99) / 1e6, h.correct() ? "ok" : "FAILED: " + h.check()));
			}
			out.append('\n');
		}
		return out.toString();
	}

	/**
	 * The results document.
	 * @param meta machine, versions, load and settings
	 * @param slots every turn, warm-up included
	 * @return the document
	 */
	Map<String, Object> json(Map<String, Object> meta, List<SlotResult> slots) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("meta", meta);
		List<Object> summaries = new ArrayList<>();
		for (Summary s : this.summaries) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("workload", s.workload().id());
			row.put("concurrency", s.concurrency());
			row.put("client", s.client());
			row.put("callsPerSecond", s.throughput());
			row.put("ratioToR2dbcRaw", ratio(s));
			row.put("roundCallsPerSecond", s.roundThroughputs());
			row.put("p50Millis", s.p50Micros() / 1000);
			row.put("p99Millis", s.p99Micros() / 1000);
			row.put("p999Millis", s.p999Micros() / 1000);
			row.put("cpuMicrosPerCall", s.cpuMicrosPerCall());
			row.put("allocatedBytesPerCall", s.allocatedBytesPerCall());
			row.put("calls", s.calls());
			row.put("errors", s.errors());
			row.put("correct", s.correct());
			summaries.add(row);
		}
		document.put("summaries", summaries);
		List<Object> turns = new ArrayList<>();
		for (SlotResult slot : slots) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("workload", slot.workload().id());
			row.put("concurrency", slot.concurrency());
			row.put("client", slot.client());
			row.put("round", slot.round());
			row.put("calls", slot.outcome().operations());
			row.put("errors", slot.outcome().errors());
			row.put("firstError", slot.outcome().firstError());
			row.put("elapsedMillis", slot.outcome().elapsedNanos() / 1e6);
			row.put("callsPerSecond", slot.outcome().throughput());
			row.put("p99Millis", slot.outcome().latencies().getValueAtPercentile(99) / 1e6);
			row.put("check", slot.check());
			turns.add(row);
		}
		document.put("turns", turns);
		List<Object> hot = new ArrayList<>();
		for (HotRowContention.HotRowOutcome h : this.hotRow) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("strategy", h.label());
			row.put("writers", h.writers());
			row.put("seconds", h.loop().elapsedNanos() / 1e9);
			row.put("successfulIncrements", h.loop().operations());
			row.put("incrementsPerSecond", h.loop().throughput());
			row.put("retries", h.retries());
			row.put("retriesPerSuccess", h.retriesPerSuccess());
			row.put("gaveUp", h.loop().errors());
			row.put("p50Millis", h.loop().latencies().getValueAtPercentile(50) / 1e6);
			row.put("p99Millis", h.loop().latencies().getValueAtPercentile(99) / 1e6);
			row.put("correct", h.correct());
			row.put("check", h.check());
			hot.add(row);
		}
		document.put("hotRow", hot);
		return document;
	}

}
