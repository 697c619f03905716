package io.asyncsql.locking;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreeWayMergeTests {

	@Test
	void fieldsTheOtherWriterLeftAloneAreApplied() {
		ThreeWayMerge.Outcome outcome = ThreeWayMerge.merge(Map.of("a", 1, "b", "x"), Map.of("a", 2),
				Map.of("a", 1, "b", "changed"), Map.of());
		assertThat(outcome.changes()).containsExactly(Map.entry("a", 2));
		assertThat(outcome.conflicts()).isEmpty();
	}

	@Test
	void identicalChangesNeedNoWrite() {
		ThreeWayMerge.Outcome outcome = ThreeWayMerge.merge(Map.of("a", "old"), Map.of("a", "new"), Map.of("a", "new"),
				Map.of());
		assertThat(outcome.changes()).isEmpty();
		assertThat(outcome.conflicts()).isEmpty();
	}

	@Test
	void fieldsBothChangedWithoutARuleConflict() {
		ThreeWayMerge.Outcome outcome = ThreeWayMerge.merge(Map.of("a", "old"), Map.of("a", "mine"),
				Map.of("a", "theirs"), Map.of());
		assertThat(outcome.conflicts()).containsExactly("a");
	}

	@Test
	void numericDeltasAddUpEvenWhenTheyLandOnTheSameValue() {
		// base 100, the other writer added 4, this writer also adds 4: both deltas count
		ThreeWayMerge.Outcome outcome = ThreeWayMerge.merge(Map.of("n", new BigDecimal("100")),
				Map.of("n", new BigDecimal("104")), Map.of("n", new BigDecimal("104")),
				Map.of("n", MergeRule.NUMERIC_DELTA));
		assertThat((BigDecimal) outcome.changes().get("n")).isEqualByComparingTo("108");
		assertThat(ThreeWayMerge.merge(Map.of("n", 10L), Map.of("n", 13L), Map.of("n", 20L),
				Map.of("n", MergeRule.NUMERIC_DELTA)).changes()).containsEntry("n", 23L);
	}

	@Test
	void otherRules() {
		assertThat(ThreeWayMerge.merge(Map.of("a", 1), Map.of("a", 2), Map.of("a", 3), Map.of("a", MergeRule.KEEP_CURRENT))
			.changes()).isEmpty();
		assertThat(ThreeWayMerge.merge(Map.of("a", 1), Map.of("a", 2), Map.of("a", 3), Map.of("a", MergeRule.TAKE_OURS))
			.changes()).containsEntry("a", 2);
		assertThat(ThreeWayMerge.merge(Map.of("t", List.of("a")), Map.of("t", List.of("a", "b")),
				Map.of("t", List.of("a", "c")), Map.of("t", MergeRule.LIST_UNION)).changes())
			.containsEntry("t", List.of("a", "c", "b"));
		assertThatThrownBy(() -> ThreeWayMerge.merge(Map.of("a", "x"), Map.of("a", "y"), Map.of("a", "z"),
				Map.of("a", MergeRule.NUMERIC_DELTA))).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("'a'");
	}

}
