package io.asyncsql.core.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.asyncsql.core.FetchMode;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.sql.StatementKind;
import io.r2dbc.spi.Result;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Gathers the segments of a statement's results into a {@link QueryResult}: maps rows up to the fetch limit and
 * adds up update counts. Used as the function of {@link Result#flatMap}; it emits nothing except a single marker
 * once a query has produced as many rows as the fetch mode needs, so the caller can stop reading there. Not
 * thread-safe: one instance per execution.
 */
public final class ResultCollector implements Function<Result.Segment, Publisher<Object>> {

	/** Emitted when enough rows were read. */
	public static final Object ENOUGH_ROWS = new Object();

	private static final Mono<Object> ENOUGH = Mono.just(ENOUGH_ROWS);

	private final Dialect dialect;

	private final RowMapper mapper;

	private final StatementKind kind;

	private final FetchMode fetchMode;

	private final int limit;

	private final List<Map<String, @Nullable Object>> rows;

	private long updateCount;

	private boolean sawUpdateCount;

	private long rowsSeen;

	/**
	 * Creates a collector.
	 * @param dialect converts driver values
	 * @param kind the statement kind; for DML every segment is read so the update count is complete
	 * @param fetchMode how many rows to keep
	 * @param fetchSize the row count for {@link FetchMode#MANY}
	 */
	public ResultCollector(Dialect dialect, StatementKind kind, FetchMode fetchMode, int fetchSize) {
		this.dialect = dialect;
		this.mapper = new RowMapper(dialect);
		this.kind = kind;
		this.fetchMode = fetchMode;
		this.limit = switch (fetchMode) {
			case ONE -> 1;
			case MANY -> fetchSize;
			case ALL -> Integer.MAX_VALUE;
		};
		this.rows = new ArrayList<>((fetchMode == FetchMode.ONE) ? 1 : 16);
	}

	@Override
	public Publisher<Object> apply(Result.Segment segment) {
		if (segment instanceof Result.RowSegment rowSegment) {
			this.rowsSeen++;
			if (this.rows.size() < this.limit) {
				this.rows.add(this.mapper.map(rowSegment.row()));
				if (this.rows.size() == this.limit && !this.kind.isDml()) {
					return ENOUGH;
				}
			}
			return Mono.empty();
		}
		if (segment instanceof Result.UpdateCount count) {
			this.updateCount += count.value();
			this.sawUpdateCount = true;
			return Mono.empty();
		}
		if (segment instanceof Result.Message message && this.dialect.isFailure(message)) {
			return Mono.error(message.exception());
		}
		return Mono.empty();
	}

	/**
	 * The collected result.
	 * @param sql the SQL as the caller wrote it
	 * @param dialect the dialect, for the database type
	 * @param elapsed time the statement took
	 * @return the result
	 */
	public QueryResult toResult(String sql, Dialect dialect, Duration elapsed) {
		long rowCount = ((this.kind.isDml() || this.rowsSeen == 0) && this.sawUpdateCount) ? this.updateCount
				: this.rows.size();
		return new QueryResult(this.rows, rowCount, this.mapper.columns(), sql, dialect.type(), this.fetchMode, elapsed);
	}

}
