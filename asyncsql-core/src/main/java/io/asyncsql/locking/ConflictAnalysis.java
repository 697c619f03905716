package io.asyncsql.locking;

import java.util.List;
import java.util.Map;

/**
 * Where conflicts happen and what to do about them, from the conflict history.
 *
 * @param hotspotTables up to five tables with the most conflicts, most first, with their counts
 * @param retryDistribution how many conflicts were met after how many retries
 * @param averageRetries the mean retry count of the recorded conflicts
 * @param recommendations plain-language advice
 */
public record ConflictAnalysis(List<Map.Entry<String, Long>> hotspotTables, Map<Integer, Long> retryDistribution,
		double averageRetries, List<String> recommendations) {
}
