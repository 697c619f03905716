package io.asyncsql.core.routing;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaSetTests {

	@Test
	void walPositionsReadAsPostgresqlWritesThem() {
		assertThat(ReplicaSet.parseLsn("0/0")).isZero();
		assertThat(ReplicaSet.parseLsn("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
		assertThat(ReplicaSet.parseLsn("0/3000060")).isLessThan(ReplicaSet.parseLsn("1/0"));
	}

	@Test
	void lagIsProbedFourTimesPerBoundWithinLimits() {
		assertThat(ReplicaSet.probeInterval(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(500));
		assertThat(ReplicaSet.probeInterval(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(100));
		assertThat(ReplicaSet.probeInterval(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
	}

}
