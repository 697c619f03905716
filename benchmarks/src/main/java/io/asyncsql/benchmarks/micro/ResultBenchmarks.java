package io.asyncsql.benchmarks.micro;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.result.ResultCollector;
import io.asyncsql.core.result.RowMapper;
import io.asyncsql.core.sql.StatementKind;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mapping driver rows into the node's row maps: one row alone, and whole results of 1 and 100 rows collected the
 * way a query's segments are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResultBenchmarks {

	private Dialect dialect;

	private FakeRow[] rows;

	@Setup
	public void setUp() {
		this.dialect = Dialects.of(DatabaseType.POSTGRESQL, JsonCodec.detect());
		this.rows = new FakeRow[100];
		for (int i = 0; i < this.rows.length; i++) {
			this.rows[i] = new FakeRow(1000 + i);
		}
	}

	/** One row into an ordered map (a fresh mapper, so column names are read too). */
	@Benchmark
	public Map<String, Object> mapRow() {
		return new RowMapper(this.dialect).map(this.rows[0]);
	}

	/** A one-row result, as {@code FetchMode.ONE} collects it. */
	@Benchmark
	public QueryResult collectOneRow() {
		ResultCollector collector = new ResultCollector(this.dialect, StatementKind.SELECT, FetchMode.ONE, 0);
		collector.apply(this.rows[0]);
		return collector.toResult("SELECT", this.dialect, Duration.ZERO);
	}

	/** A 100-row result, as {@code FetchMode.ALL} collects it. */
	@Benchmark
	public QueryResult collect100Rows() {
		ResultCollector collector = new ResultCollector(this.dialect, StatementKind.SELECT, FetchMode.ALL, 0);
		for (FakeRow row : this.rows) {
			collector.apply(row);
		}
		return collector.toResult("SELECT", this.dialect, Duration.ZERO);
	}

}
