package io.asyncsql.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HarnessOptionsTests {

	@Test
	void defaultsKeepAFullRunShortAndCompareEveryClient() {
		HarnessOptions options = HarnessOptions.parse(List.of(), 21);
		assertThat(options.clients()).containsExactly("asyncsql", "r2dbc-raw", "databaseclient", "jdbc-hikari",
				"jdbc-hikari-virtual", "vertx-pg");
		assertThat(options.workloads()).containsExactly(Workload.POINT_SELECT, Workload.UPDATE, Workload.TRANSFER,
				Workload.SELECT_100);
		assertThat(options.hotRow()).isTrue();
		assertThat(options.concurrency()).containsExactly(1, 8, 32);
		assertThat(options.poolSize()).isEqualTo(8);
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(2));
		assertThat(options.rounds()).isEqualTo(3);
		assertThat(options.rows()).isEqualTo(1_000_000);
		assertThat(options.hotWriters()).isEqualTo(16);
		assertThat(options.hotDuration()).isEqualTo(Duration.ofSeconds(10));
		assertThat(options.vertxPipelining()).isEqualTo(1);
	}

	@Test
	void virtualThreadClientExistsFromJava21() {
		assertThat(HarnessOptions.parse(List.of(), 17).clients()).doesNotContain("jdbc-hikari-virtual");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> HarnessOptions.parse(List.of("--clients=jdbc-hikari-virtual"), 17))
			.withMessageContaining("jdbc-hikari-virtual needs Java 21");
	}

	@Test
	void valuesAreReadInBothForms() {
		HarnessOptions options = HarnessOptions.parse(List.of("--clients=asyncsql,vertx-pg", "--workloads", "update,hot-row",
				"--concurrency=4", "--pool=2", "--duration=750ms", "--warmup=0s", "--hot-duration=1m", "--rows=5000",
				"--out=/tmp/x.json", "--keep-schema"), 17);
		// every ratio is taken against r2dbc-raw, so it always runs
		assertThat(options.clients()).containsExactly("r2dbc-raw", "asyncsql", "vertx-pg");
		assertThat(options.workloads()).containsExactly(Workload.UPDATE);
		assertThat(options.hotRow()).isTrue();
		assertThat(options.concurrency()).containsExactly(4);
		assertThat(options.poolSize()).isEqualTo(2);
		assertThat(options.duration()).isEqualTo(Duration.ofMillis(750));
		assertThat(options.warmup()).isZero();
		assertThat(options.hotDuration()).isEqualTo(Duration.ofMinutes(1));
		assertThat(options.out()).isEqualTo(Path.of("/tmp/x.json"));
		assertThat(options.keepSchema()).isTrue();
	}

	@Test
	void mistakesNameTheOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--pool=0"), 17))
			.withMessageContaining("--pool must be at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--duration=fast"), 17))
			.withMessageContaining("--duration must be a duration");
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--clients=hibernate"), 17))
			.withMessageContaining("unknown client 'hibernate'");
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--workloads=scan"), 17))
			.withMessageContaining("unknown workload 'scan'");
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--speed=11"), 17))
			.withMessageContaining("unknown option --speed");
		assertThatIllegalArgumentException().isThrownBy(() -> HarnessOptions.parse(List.of("--rows=10"), 17))
			.withMessageContaining("--rows must be at least 200");
	}

}
