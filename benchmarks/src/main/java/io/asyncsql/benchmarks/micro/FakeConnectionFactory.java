package io.asyncsql.benchmarks.micro;

import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A driver that answers at once, on the calling thread, without a server: a query returns one {@link FakeRow}
 * and any other statement one update count. Under r2dbc-pool it lets a microbenchmark measure everything the node
 * adds per call (preparation, the reactive pipeline, timeout, retry, mapping) against a hand-written call on the
 * same pool, with the cost of a real driver and the network taken out of both.
 */
final class FakeConnectionFactory implements ConnectionFactory {

	private static final ConnectionFactoryMetadata METADATA = () -> "fake";

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.fromSupplier(FakeConnection::new);
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return METADATA;
	}

	static final class FakeConnection implements Connection {

		private static final ConnectionMetadata METADATA = new ConnectionMetadata() {

			@Override
			public String getDatabaseProductName() {
				return "fake";
			}

			@Override
			public String getDatabaseVersion() {
				return "1";
			}

		};

		@Override
		public Publisher<Void> beginTransaction() {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> beginTransaction(TransactionDefinition definition) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> close() {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> commitTransaction() {
			return Mono.empty();
		}

		@Override
		public Batch createBatch() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Publisher<Void> createSavepoint(String name) {
			return Mono.empty();
		}

		@Override
		public Statement createStatement(String sql) {
			return new FakeStatement(sql.regionMatches(true, 0, "SELECT", 0, 6));
		}

		@Override
		public boolean isAutoCommit() {
			return true;
		}

		@Override
		public ConnectionMetadata getMetadata() {
			return METADATA;
		}

		@Override
		public IsolationLevel getTransactionIsolationLevel() {
			return IsolationLevel.READ_COMMITTED;
		}

		@Override
		public Publisher<Void> releaseSavepoint(String name) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> rollbackTransaction() {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> rollbackTransactionToSavepoint(String name) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> setAutoCommit(boolean autoCommit) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> setLockWaitTimeout(Duration timeout) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> setStatementTimeout(Duration timeout) {
			return Mono.empty();
		}

		@Override
		public Publisher<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
			return Mono.empty();
		}

		@Override
		public Publisher<Boolean> validate(ValidationDepth depth) {
			return Mono.just(true);
		}

	}

	static final class FakeStatement implements Statement {

		private final boolean query;

		private long id = 1;

		FakeStatement(boolean query) {
			this.query = query;
		}

		@Override
		public Statement add() {
			return this;
		}

		@Override
		public Statement bind(int index, Object value) {
			if (index == 0 && value instanceof Long number) {
				this.id = number;
			}
			return this;
		}

		@Override
		public Statement bind(String name, Object value) {
			return this;
		}

		@Override
		public Statement bindNull(int index, Class<?> type) {
			return this;
		}

		@Override
		public Statement bindNull(String name, Class<?> type) {
			return this;
		}

		@Override
		public Publisher<? extends Result> execute() {
			return Mono.just(this.query ? new FakeResult(new FakeRow(this.id), 0) : new FakeResult(null, 1));
		}

	}

	static final class FakeResult implements Result {

		private final FakeRow row;

		private final long updated;

		FakeResult(FakeRow row, long updated) {
			this.row = row;
			this.updated = updated;
		}

		@Override
		public Publisher<Long> getRowsUpdated() {
			return Mono.just(this.updated);
		}

		@Override
		public <T> Publisher<T> map(BiFunction<Row, RowMetadata, ? extends T> mapping) {
			return (this.row != null) ? Mono.just(mapping.apply(this.row, this.row.getMetadata())) : Mono.empty();
		}

		@Override
		public Result filter(Predicate<Segment> filter) {
			return this;
		}

		@Override
		public <T> Publisher<T> flatMap(Function<Segment, ? extends Publisher<? extends T>> mapping) {
			Segment segment = (this.row != null) ? this.row : (UpdateCount) () -> this.updated;
			return Flux.from(mapping.apply(segment));
		}

	}

}
