package io.asyncsql.core.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.test.PostgresSchema;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each statement is an {@code asyncsql.query} observation with a client-kind context and the documented keys, and the
 * statements of a transaction are children of its {@code asyncsql.transaction} observation.
 */
class QueryObservationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("observe");
		schema.sql("CREATE TABLE items (id int PRIMARY KEY, name text)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	/** Keeps every stopped observation context, in stop order. */
	static final class Recorder implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		List<Observation.Context> named(String name) {
			return this.stopped.stream().filter(c -> c.getName().equals(name)).toList();
		}

	}

	@Test
	void eachQueryIsAnObservationWithKeysAndTheStatementButNoValues() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("observed").build()).observationRegistry(registry)
			.build()) {
			node.execute("INSERT INTO items (id, name) VALUES (:id, :name)", Map.of("id", 1, "name", "secret-value"))
				.block(WAIT);
			assertThat(registry).hasObservationWithNameEqualTo(AsyncSqlObservations.QUERY)
				.that()
				.hasLowCardinalityKeyValue("asyncsql.node", "observed")
				.hasLowCardinalityKeyValue("db.system.name", "postgresql")
				.hasLowCardinalityKeyValue("db.operation.name", "INSERT")
				.hasHighCardinalityKeyValue("db.query.text",
						"INSERT INTO items (id, name) VALUES (:id, :name)")
				.hasBeenStarted()
				.hasBeenStopped()
				.satisfies(context -> assertThat(context).isInstanceOfSatisfying(QueryObservationContext.class,
						query -> assertThat(query.getKind()).isEqualTo(Kind.CLIENT)));
			assertThat(registry.toString()).doesNotContain("secret-value");
		}
	}

	@Test
	void failedQueriesCarryTheError() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("failing").build()).observationRegistry(registry)
			.build()) {
			assertThatThrownBy(() -> node.execute("SELECT * FROM missing_table").block(WAIT)).isNotNull();
			assertThat(registry).hasObservationWithNameEqualTo(AsyncSqlObservations.QUERY)
				.that()
				.hasLowCardinalityKeyValue("db.operation.name", "SELECT")
				.assertThatError()
				.isNotNull();
		}
	}

	@Test
	void transactionsAreParentsOfTheirQueries() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		Recorder recorder = new Recorder();
		registry.observationConfig().observationHandler(recorder);
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("tx_observed").build()).observationRegistry(registry)
			.build()) {
			node.inTransaction(tx -> tx.execute("DELETE FROM items WHERE id = :id", Map.of("id", 9))
				// a node call made inside the block joins the transaction and its observation
				.then(node.execute("SELECT count(*) FROM items"))).blockLast(WAIT);
			List<Observation.Context> transactions = recorder.named(AsyncSqlObservations.TRANSACTION);
			List<Observation.Context> queries = recorder.named(AsyncSqlObservations.QUERY);
			assertThat(transactions).hasSize(1);
			assertThat(queries).hasSize(2);
			Observation.Context transaction = transactions.get(0);
			assertThat(transaction.getLowCardinalityKeyValue("asyncsql.outcome")).isEqualTo(
					KeyValue.of("asyncsql.outcome", "commit"));
			for (Observation.Context query : queries) {
				assertThat(query.getParentObservation()).isNotNull();
				assertThat(query.getParentObservation().getContextView().getName())
					.isEqualTo(AsyncSqlObservations.TRANSACTION);
			}
		}
	}

	@Test
	void queriesJoinTheCallersObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		Recorder recorder = new Recorder();
		registry.observationConfig().observationHandler(recorder);
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("child").build()).observationRegistry(registry)
			.build()) {
			Observation request = Observation.start("http.request", registry);
			node.execute("SELECT 1").contextWrite(c -> c.put(AsyncSqlObservations.CONTEXT_KEY, request)).block(WAIT);
			request.stop();
			Observation.Context query = recorder.named(AsyncSqlObservations.QUERY).get(0);
			assertThat(query.getParentObservation()).isSameAs(request);
		}
	}

}
