package io.asyncsql.core.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.test.H2Database;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabases;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What a tracing back-end receives: each statement is a CLIENT span carrying the stable OpenTelemetry database
 * keys, transactions are parents of their statements, failures and cancellations say how they ended. Spans go
 * through Micrometer Tracing's OpenTelemetry bridge into the OpenTelemetry SDK and its in-memory exporter.
 */
class QueryTracingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private SdkTracerProvider tracerProvider;

	private ObservationRegistry registry;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("tracing");
		schema.sql("CREATE TABLE items (id int PRIMARY KEY, name text)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@BeforeEach
	void tracing() {
		this.tracerProvider = SdkTracerProvider.builder()
			.setSampler(Sampler.alwaysOn())
			.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
			.build();
		OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
			.setTracerProvider(this.tracerProvider)
			.setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
			.build();
		io.opentelemetry.api.trace.Tracer otelTracer = sdk.getTracer("asyncsql-tests");
		OtelCurrentTraceContext current = new OtelCurrentTraceContext();
		OtelTracer tracer = new OtelTracer(otelTracer, current, event -> {
		}, new OtelBaggageManager(current, List.of(), List.of()));
		this.registry = ObservationRegistry.create();
		// as Spring Boot's tracing auto-configuration arranges them: sender contexts first, then everything else
		this.registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer,
							new OtelPropagator(sdk.getPropagators(), otelTracer)),
					new DefaultTracingObservationHandler(tracer)));
	}

	@AfterEach
	void close() {
		this.tracerProvider.close();
	}

	private AsyncSqlNode node(String name) {
		return AsyncSqlNode.builder(schema.node(name).build()).observationRegistry(this.registry).build();
	}

	private List<SpanData> spans(int count) {
		await().atMost(WAIT).until(() -> this.exporter.getFinishedSpanItems().size() >= count);
		return this.exporter.getFinishedSpanItems();
	}

	private static String attribute(SpanData span, String key) {
		return span.getAttributes().get(AttributeKey.stringKey(key));
	}

	@Test
	void aStatementIsAClientSpanWithTheDatabaseConventionKeys() {
		try (AsyncSqlNode node = node("traced")) {
			node.execute("INSERT INTO items (id, name) VALUES (:id, :name)", Map.of("id", 1, "name", "secret-value"))
				.block(WAIT);
		}
		SpanData span = spans(1).get(0);
		String database = TestDatabases.postgres().database();
		assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
		assertThat(span.getName()).isEqualTo("INSERT " + database);
		assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
		assertThat(attribute(span, "db.system.name")).isEqualTo("postgresql");
		assertThat(attribute(span, "db.namespace")).isEqualTo(database);
		assertThat(attribute(span, "db.operation.name")).isEqualTo("INSERT");
		assertThat(attribute(span, "server.address")).isEqualTo(TestDatabases.postgres().host());
		assertThat(attribute(span, "server.port")).isEqualTo(Integer.toString(TestDatabases.postgres().port()));
		assertThat(attribute(span, "asyncsql.node")).isEqualTo("traced");
		assertThat(attribute(span, "db.query.text")).isEqualTo("INSERT INTO items (id, name) VALUES (:id, :name)");
		assertThat(attribute(span, "peer.service")).isEqualTo(database);
		assertThat(attribute(span, "error.type")).isNull();
		// the keys the conventions renamed are gone, and no bound value reaches the span
		assertThat(attribute(span, "db.system")).isNull();
		assertThat(attribute(span, "db.statement")).isNull();
		assertThat(span.toString()).doesNotContain("secret-value");
	}

	@Test
	void aTransactionIsTheParentOfItsStatements() {
		try (AsyncSqlNode node = node("tx_traced")) {
			node.inTransaction(tx -> tx.execute("UPDATE items SET name = :name WHERE id = :id", Map.of("id", 1, "name", "x"))
				// a node call made inside the block joins the transaction and its span
				.then(node.execute("SELECT count(*) FROM items"))).blockLast(WAIT);
		}
		List<SpanData> spans = spans(3);
		SpanData transaction = spans.stream().filter(s -> s.getName().equals("transaction tx_traced")).findFirst()
			.orElseThrow();
		List<SpanData> statements = spans.stream().filter(s -> s != transaction).toList();
		assertThat(statements).extracting(s -> attribute(s, "db.operation.name")).containsExactly("UPDATE", "SELECT");
		assertThat(statements).allSatisfy(statement -> {
			assertThat(statement.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(statement.getTraceId()).isEqualTo(transaction.getTraceId());
			assertThat(statement.getParentSpanId()).isEqualTo(transaction.getSpanId());
		});
		assertThat(attribute(transaction, "asyncsql.outcome")).isEqualTo("commit");
		assertThat(attribute(transaction, "asyncsql.node")).isEqualTo("tx_traced");
		assertThat(attribute(transaction, "db.system.name")).isEqualTo("postgresql");
		assertThat(transaction.getParentSpanContext().isValid()).isFalse();
	}

	@Test
	void aFailedStatementCarriesItsSqlStateAsErrorType() {
		try (AsyncSqlNode node = node("failing")) {
			assertThatThrownBy(() -> node.execute("SELECT * FROM missing_table").block(WAIT)).isNotNull();
		}
		SpanData span = spans(1).get(0);
		assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
		assertThat(attribute(span, "error.type")).isEqualTo("42P01");
		assertThat(attribute(span, "db.response.status_code")).isEqualTo("42P01");
		assertThat(attribute(span, "db.operation.name")).isEqualTo("SELECT");
	}

	@Test
	void aCancelledCallEndsAsCancelledOnTheSpanAndTheTimer() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("cancelled").validateQueries(false).build())
			.observationRegistry(this.registry)
			.meterRegistry(meters)
			.build()) {
			Disposable call = node.execute("SELECT pg_sleep(5)").subscribe();
			await().atMost(WAIT).until(() -> node.pool().stats().acquired() == 1);
			call.dispose();
			SpanData span = spans(1).get(0);
			assertThat(attribute(span, "error.type")).isEqualTo("cancelled");
			assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
			assertThat(span.getEvents()).extracting(e -> e.getName()).contains("cancelled");
			Timer cancelled = meters.find(NodeMetrics.QUERIES).tag("outcome", "cancelled").timer();
			assertThat(cancelled).isNotNull();
			assertThat(cancelled.count()).isEqualTo(1);
			assertThat(meters.find(NodeMetrics.QUERIES).tag("outcome", "success").timer()).isNull();
		}
	}

	@Test
	void aStreamTheCallerStopsReadingEndsAsCancelled() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("stopped").build())
			.observationRegistry(this.registry)
			.meterRegistry(meters)
			.build()) {
			assertThat(node.stream("SELECT n FROM generate_series(1, 10000) AS n", Map.of()).take(3).collectList()
				.block(WAIT)).hasSize(3);
			assertThat(attribute(spans(1).get(0), "error.type")).isEqualTo("cancelled");
			Timer cancelled = meters.find(NodeMetrics.QUERIES).tag("outcome", "cancelled").timer();
			assertThat(cancelled).isNotNull();
			assertThat(cancelled.count()).isEqualTo(1);
		}
	}

	@Test
	void otherStatementsAreNamedByTheirFirstKeyword() {
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("ddl").allowAdmin(true).build())
			.observationRegistry(this.registry)
			.build()) {
			node.execute("CREATE TEMPORARY TABLE scratch (id int)").block(WAIT);
		}
		assertThat(attribute(spans(1).get(0), "db.operation.name")).isEqualTo("CREATE");
	}

	@Test
	void h2IsH2databaseWithoutServer() {
		try (H2Database h2 = H2Database.create("tracing");
				AsyncSqlNode node = AsyncSqlNode.builder(h2.node("embedded").build())
					.observationRegistry(this.registry)
					.build()) {
			node.execute("SELECT 1").block(WAIT);
			SpanData span = spans(1).get(0);
			assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(attribute(span, "db.system.name")).isEqualTo("h2database");
			assertThat(attribute(span, "db.namespace")).isEqualTo(h2.name());
			assertThat(attribute(span, "server.address")).isNull();
			assertThat(attribute(span, "server.port")).isNull();
		}
	}

	@Test
	void anApplicationConventionReplacesTheDefault() {
		QueryObservationConvention custom = new DefaultQueryObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(QueryObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and("team", "payments");
			}

			@Override
			public String getContextualName(QueryObservationContext context) {
				return "sql " + context.getNodeName();
			}

		};
		try (AsyncSqlNode node = AsyncSqlNode.builder(schema.node("custom").build())
			.observationRegistry(this.registry)
			.queryObservationConvention(custom)
			.build()) {
			node.execute("SELECT 1").block(WAIT);
		}
		SpanData span = spans(1).get(0);
		assertThat(span.getName()).isEqualTo("sql custom");
		assertThat(attribute(span, "team")).isEqualTo("payments");
		assertThat(attribute(span, "db.system.name")).isEqualTo("postgresql");
	}

}
