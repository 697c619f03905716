package io.asyncsql.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness against the real PostgreSQL named by {@code ASYNCSQL_TEST_POSTGRES_URL}: a miniature run of every
 * client and workload, and the correctness checks that keep a fast wrong client from winning.
 */
class LoadHarnessTests {

	private static String url() {
		String url = System.getenv("ASYNCSQL_TEST_POSTGRES_URL");
		return (url != null && !url.isBlank()) ? url : HarnessOptions.DEFAULT_URL;
	}

	@Test
	void miniatureRunMeasuresEveryClientAndWorkloadAndLeavesNoSchema(@TempDir Path dir) throws Exception {
		Path out = dir.resolve("results.json");
		List<String> args = new ArrayList<>(List.of("--url=" + url(), "--concurrency=2", "--pool=2", "--rows=1000",
				"--jit-warmup=0s", "--warmup=0s", "--duration=150ms", "--rounds=1", "--hot-writers=4",
				"--hot-duration=300ms", "--out=" + out));
		HarnessOptions options = HarnessOptions.parse(args, Runtime.version().feature());
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		LoadHarness harness = new LoadHarness(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

		boolean clean = harness.run();

		String report = printed.toString(StandardCharsets.UTF_8);
		assertThat(clean).as(report).isTrue();
		assertThat(harness.slots()).hasSize(options.clients().size() * 4);
		for (SlotResult slot : harness.slots()) {
			assertThat(slot.outcome().operations()).as(slot.toString()).isPositive();
			assertThat(slot.outcome().errors()).as(slot.toString()).isZero();
			assertThat(slot.correct()).as(slot.check()).isTrue();
		}
		assertThat(harness.hotRow()).hasSize(3).allSatisfy(hot -> {
			assertThat(hot.correct()).as(hot.check()).isTrue();
			assertThat(hot.loop().operations()).isPositive();
		});
		assertThat(report).contains("### point select by primary key", "### transfer transaction",
				"### hot-row contention", "| 2 | asyncsql |", "| 2 | vertx-pg |");
		String json = Files.readString(out);
		assertThat(json).contains("\"client\": \"databaseclient\"", "\"workload\": \"select-100\"",
				"\"ratioToR2dbcRaw\": 1.0", "\"hotRow\": [");
		assertThat(schemasLeft()).isZero();
	}

	@Test
	void checkCatchesAClientThatCountsCallsItDidNotMake() {
		LoopOutcome claimed = new LoopOutcome(10, 0, null, 1_000_000, new Histogram(3), 0, 0);
		BenchSchema.Snapshot before = new BenchSchema.Snapshot(100, 5000, 7, 0);
		assertThat(LoadHarness.check(Workload.UPDATE, before, new BenchSchema.Snapshot(110, 5000, 7, 0), claimed)).isNull();
		assertThat(LoadHarness.check(Workload.UPDATE, before, new BenchSchema.Snapshot(109, 5000, 7, 0), claimed))
			.isEqualTo("counters grew by 9 for 10 updates");
		assertThat(LoadHarness.check(Workload.TRANSFER, before, new BenchSchema.Snapshot(100, 5000, 16, 0), claimed))
			.isEqualTo("9 transfers logged for 10 transfers");
		assertThat(LoadHarness.check(Workload.TRANSFER, before, new BenchSchema.Snapshot(100, 5001, 17, 0), claimed))
			.isEqualTo("wallet balances changed in total by 1");
		assertThat(LoadHarness.check(Workload.POINT_SELECT, before, new BenchSchema.Snapshot(101, 5000, 7, 0), claimed))
			.isEqualTo("a read-only workload changed data");
	}

	private static long schemasLeft() throws Exception {
		Target target = Target.parse(url());
		Properties properties = new Properties();
		properties.setProperty("user", target.user());
		if (!target.password().isEmpty()) {
			properties.setProperty("password", target.password());
		}
		try (Connection connection = DriverManager.getConnection(target.jdbcUrl(), properties);
				ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM pg_namespace "
						+ "WHERE nspname = 'asyncsql_bench_" + ProcessHandle.current().pid() + "'")) {
			result.next();
			return result.getLong(1);
		}
	}

}
