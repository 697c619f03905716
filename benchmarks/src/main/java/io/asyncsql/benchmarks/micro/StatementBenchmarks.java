package io.asyncsql.benchmarks.micro;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.dialect.Dialects;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.result.ResultCollector;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.core.sql.SqlTemplate;
import io.asyncsql.core.validation.Violation;
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
 * What a node does to a statement before and after the driver: lexing and binding (template cache hit and miss),
 * validation (cached verdict and a 1 KB statement checked from scratch), and the whole per-call overhead on a
 * cache hit: template lookup, validation, binding, mapping one row and building the result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StatementBenchmarks {

	/** A 10-parameter statement, as an application writes it. */
	static final String TEN_PARAMETERS = "SELECT id, name, balance, updated_at FROM accounts WHERE tenant_id = :tenant "
			+ "AND region = :region AND status = :status AND balance BETWEEN :min_balance AND :max_balance "
			+ "AND created_at >= :since AND created_at < :until AND owner = :owner AND kind = :kind "
			+ "ORDER BY id LIMIT :limit";

	/** A point select as the load harness sends it. */
	static final String POINT_SELECT = "SELECT id, name, balance, updated_at FROM accounts WHERE id = :id";

	private Dialect dialect;

	private Map<String, Object> params;

	private Map<String, Object> pointParams;

	private String kilobyte;

	private SqlTemplate kilobyteTemplate;

	private SqlTemplate tenParameterTemplate;

	private FakeRow row;

	@Setup
	public void setUp() {
		this.dialect = Dialects.of(DatabaseType.POSTGRESQL, JsonCodec.detect());
		this.params = new LinkedHashMap<>();
		this.params.put("tenant", 42L);
		this.params.put("region", "eu-west");
		this.params.put("status", "ACTIVE");
		this.params.put("min_balance", 10L);
		this.params.put("max_balance", 10_000L);
		this.params.put("since", java.time.OffsetDateTime.parse("2025-01-01T00:00:00Z"));
		this.params.put("until", java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"));
		this.params.put("owner", "alice");
		this.params.put("kind", 3);
		this.params.put("limit", 50);
		this.pointParams = Map.of("id", 123_456L);
		StringBuilder sql = new StringBuilder("SELECT a.id, a.name, a.balance, a.updated_at, t.amount, t.created_at "
				+ "FROM accounts a JOIN transfers t ON t.from_id = a.id WHERE a.status = 'ACTIVE' -- only live ones\n");
		int i = 0;
		while (sql.length() < 1000) {
			sql.append(" AND (t.note <> 'drop table ").append(i).append("' OR t.amount > :amount").append(i)
				.append(") /* condition ").append(i).append(" */");
			i++;
		}
		this.kilobyte = sql.append(" ORDER BY t.created_at DESC").toString();
		this.kilobyteTemplate = SqlTemplate.parse(this.kilobyte, this.dialect.templates().lexer());
		this.tenParameterTemplate = this.dialect.templates().get(TEN_PARAMETERS);
		this.row = new FakeRow(123_456L);
		// warm the caches the cache-hit benchmarks rely on
		bind(this.dialect.templates().get(TEN_PARAMETERS), this.params);
		this.dialect.validator().validate(this.tenParameterTemplate, false);
		this.dialect.validator().validate(this.dialect.templates().get(POINT_SELECT), false);
	}

	/** Lex (template cache hit) and bind 10 parameters. */
	@Benchmark
	public BoundStatement lexBindCacheHit() {
		return bind(this.dialect.templates().get(TEN_PARAMETERS), this.params);
	}

	/** Lex and analyse from scratch, then render and bind 10 parameters. */
	@Benchmark
	public BoundStatement lexBindCacheMiss() {
		return bind(SqlTemplate.parse(TEN_PARAMETERS, this.dialect.templates().lexer()), this.params);
	}

	/** The cached verdict for a statement seen before. */
	@Benchmark
	public Violation validateCached() {
		return this.dialect.validator().validate(this.tenParameterTemplate, false);
	}

	/** Every validation rule over a lexed 1 KB statement. */
	@Benchmark
	public Violation validateUncached1KB() {
		return this.dialect.validator().check(this.kilobyteTemplate, false);
	}

	/** Lexing and checking a 1 KB statement never seen before. */
	@Benchmark
	public Violation lexAndValidateUncached1KB() {
		return this.dialect.validator().check(SqlTemplate.parse(this.kilobyte, this.dialect.templates().lexer()), false);
	}

	/**
	 * The node's own work for one point select on a cache hit, without the driver: template lookup, validation,
	 * binding, mapping the row and building the result.
	 */
	@Benchmark
	public QueryResult nodeOverheadCacheHit() {
		SqlTemplate template = this.dialect.templates().get(POINT_SELECT);
		if (this.dialect.validator().validate(template, false) != null) {
			throw new IllegalStateException("rejected");
		}
		BoundStatement bound = bind(template, this.pointParams);
		ResultCollector collector = new ResultCollector(this.dialect, template.kind(), FetchMode.ONE, 0);
		collector.apply(this.row);
		return collector.toResult(bound.template().sql(), this.dialect, Duration.ofNanos(1000));
	}

	private BoundStatement bind(SqlTemplate template, Map<String, Object> values) {
		return this.dialect.binder().bindNamed(template, values, Map.of(), Map.of(), "bench", 65_535);
	}

}
