package io.asyncsql.locking;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Merges this writer's changes into a row another writer changed, relative to the row both started from.
 */
final class ThreeWayMerge {

	private ThreeWayMerge() {
	}

	/**
	 * The outcome of a merge.
	 *
	 * @param changes the values to write on top of the current row
	 * @param conflicts fields both writers changed that no rule resolves
	 */
	record Outcome(Map<String, @Nullable Object> changes, List<String> conflicts) {
	}

	static Outcome merge(Map<String, ?> base, Map<String, ?> ours, Map<String, ?> current, Map<String, MergeRule> rules) {
		Map<String, @Nullable Object> changes = new LinkedHashMap<>();
		List<String> conflicts = new ArrayList<>();
		for (Map.Entry<String, ?> change : ours.entrySet()) {
			String field = change.getKey();
			Object mine = change.getValue();
			Object theirs = current.get(field);
			Object original = base.get(field);
			if (same(theirs, original)) {
				changes.put(field, mine); // the other writer left this field alone
				continue;
			}
			MergeRule rule = rules.get(field);
			if (same(theirs, mine) && rule != MergeRule.NUMERIC_DELTA) {
				continue; // both made the same change; deltas that happen to land on the same value still add up
			}
			if (rule == null) {
				conflicts.add(field);
				continue;
			}
			switch (rule) {
				case NUMERIC_DELTA -> changes.put(field, addDelta(field, original, mine, theirs));
				case TAKE_OURS -> changes.put(field, mine);
				case KEEP_CURRENT -> { }
				case LIST_UNION -> changes.put(field, union(field, theirs, mine));
			}
		}
		return new Outcome(changes, conflicts);
	}

	static boolean same(@Nullable Object a, @Nullable Object b) {
		if (a instanceof Number x && b instanceof Number y) {
			return decimal(x).compareTo(decimal(y)) == 0;
		}
		return Objects.equals(a, b);
	}

	private static Object addDelta(String field, @Nullable Object base, @Nullable Object ours, @Nullable Object current) {
		if (!(base instanceof Number b) || !(ours instanceof Number o) || !(current instanceof Number c)) {
			throw new IllegalArgumentException("merge rule NUMERIC_DELTA needs numbers in field '" + field + "'");
		}
		BigDecimal merged = decimal(c).add(decimal(o).subtract(decimal(b)));
		// keep the column's Java type so the bind matches the column
		if (current instanceof Long) {
			return merged.longValueExact();
		}
		if (current instanceof Integer) {
			return merged.intValueExact();
		}
		if (current instanceof Short) {
			return merged.shortValueExact();
		}
		if (current instanceof Double || current instanceof Float) {
			return merged.doubleValue();
		}
		if (current instanceof BigInteger) {
			return merged.toBigIntegerExact();
		}
		return merged;
	}

	private static Object union(String field, @Nullable Object current, @Nullable Object ours) {
		LinkedHashSet<Object> union = new LinkedHashSet<>(elements(field, current));
		union.addAll(elements(field, ours));
		return new ArrayList<>(union);
	}

	private static Collection<?> elements(String field, @Nullable Object value) {
		if (value == null) {
			return List.of();
		}
		if (value instanceof Collection<?> collection) {
			return collection;
		}
		if (value instanceof Object[] array) {
			return List.of(array);
		}
		throw new IllegalArgumentException("merge rule LIST_UNION needs lists in field '" + field + "'");
	}

	private static BigDecimal decimal(Number number) {
		if (number instanceof BigDecimal decimal) {
			return decimal;
		}
		if (number instanceof BigInteger integer) {
			return new BigDecimal(integer);
		}
		if (number instanceof Double || number instanceof Float) {
			return BigDecimal.valueOf(number.doubleValue());
		}
		return BigDecimal.valueOf(number.longValue());
	}

}
