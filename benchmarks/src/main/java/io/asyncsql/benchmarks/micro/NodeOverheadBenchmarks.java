package io.asyncsql.benchmarks.micro;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.Query;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.pool.ConnectionPools;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The node's whole overhead per call on a template-cache hit, beyond the pool's and the driver's own: the same
 * point select and single-row update through a node and by hand on one r2dbc-pool over
 * {@link FakeConnectionFactory}, a driver that answers at once. The difference of the two is what the node adds
 * (preparation, validation, binding, timeout guard, retry, error translation, mapping into a result).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NodeOverheadBenchmarks {

	private static final String POINT_SELECT = "SELECT id, name, balance, updated_at FROM accounts WHERE id = :id";

	private static final String RAW_POINT_SELECT = "SELECT id, name, balance, updated_at FROM accounts WHERE id = $1";

	private static final String UPDATE = "UPDATE counters SET n = n + 1 WHERE id = :id";

	private static final String RAW_UPDATE = "UPDATE counters SET n = n + 1 WHERE id = $1";

	private ConnectionPools pools;

	private AsyncSqlNode node;

	private ConnectionPool pool;

	@Setup
	public void setUp() {
		NodeSettings settings = NodeSettings.builder("overhead")
			.connection(ConnectionSettings.of(DatabaseType.POSTGRESQL, "fake", 5432, "fake", "fake", null))
			.pool(PoolSettings.builder().initialSize(1).maxSize(1).build())
			.build();
		this.pools = new ConnectionPools();
		// the node leases the pool made here, since its settings are equal and pools are shared
		this.pool = this.pools.lease(settings, s -> new FakeConnectionFactory()).connectionFactory();
		this.node = AsyncSqlNode.builder(settings).pools(this.pools).build();
	}

	@TearDown
	public void tearDown() {
		this.node.close();
		this.pools.close();
	}

	/** A point select through the node. */
	@Benchmark
	public QueryResult nodePointSelect() {
		return this.node.execute(Query.of(POINT_SELECT).param("id", 123L).fetchMode(FetchMode.ONE)).block();
	}

	/** The same point select by hand on the same pool. */
	@Benchmark
	public List<Object> rawPointSelect() {
		return Mono.usingWhen(this.pool.create(), c -> Flux.from(c.createStatement(RAW_POINT_SELECT).bind(0, 123L)
			.execute()).flatMap(result -> result.map((row, metadata) -> row.get(0))).collectList(), Connection::close)
			.block();
	}

	/** A single-row update through the node. */
	@Benchmark
	public QueryResult nodeUpdate() {
		return this.node.execute(UPDATE, Map.of("id", 123L)).block();
	}

	/** The same update by hand on the same pool. */
	@Benchmark
	public Long rawUpdate() {
		return Mono.usingWhen(this.pool.create(), c -> Flux.from(c.createStatement(RAW_UPDATE).bind(0, 123L).execute())
			.flatMap(Result::getRowsUpdated).reduce(0L, Long::sum), Connection::close).block();
	}

}
