package io.asyncsql.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import io.asyncsql.autoconfigure.app.Customer;
import io.asyncsql.autoconfigure.app.CustomerRepository;
import io.asyncsql.autoconfigure.app.OrderService;
import io.asyncsql.autoconfigure.app.OrdersApplication;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The starter in a real Spring Boot application on the real PostgreSQL: two nodes injected by name, a reactive
 * {@code @Transactional} service over a node's transaction manager, and a Spring Data R2DBC repository on the
 * primary node's pool.
 */
@SpringBootTest(classes = OrdersApplication.class)
class StarterApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final PostgresSchema schema = PostgresSchema.create("starter");

	@DynamicPropertySource
	static void nodes(DynamicPropertyRegistry registry) {
		TestDatabase database = TestDatabases.postgres();
		for (String node : new String[] { "orders", "reporting" }) {
			String prefix = "asyncsql.nodes." + node + ".";
			registry.add(prefix + "database-type", () -> "postgresql");
			registry.add(prefix + "host", database::host);
			registry.add(prefix + "port", database::port);
			registry.add(prefix + "database", database::database);
			registry.add(prefix + "username", database::username);
			registry.add(prefix + "options.search_path", schema::name);
		}
		registry.add("asyncsql.nodes.orders.primary", () -> "true");
		registry.add("asyncsql.nodes.reporting.transaction-mode", () -> "none");
	}

	@Autowired
	@Qualifier("orders")
	private AsyncSqlNode orders;

	@Autowired
	@Qualifier("reporting")
	private AsyncSqlNode reporting;

	@Autowired
	private AsyncSqlNode primary;

	@Autowired
	private OrderService orderService;

	@Autowired
	private CustomerRepository customers;

	@Autowired
	private ConnectionFactory connectionFactory;

	@BeforeEach
	void tables() {
		schema.sql("DROP TABLE IF EXISTS orders, audit, customers",
				"CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(19,2) NOT NULL)",
				"CREATE TABLE audit (order_id bigint NOT NULL)",
				"CREATE TABLE customers (id bigserial PRIMARY KEY, name text NOT NULL)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@Test
	void nodesAreInjectedByNameAndRunQueries() {
		assertThat(this.primary).isSameAs(this.orders);
		assertThat(this.orders.pool()).isSameAs(this.reporting.pool());
		this.orders.execute("INSERT INTO orders (id, total) VALUES (:id, :total)", Map.of("id", 1L, "total",
				new BigDecimal("9.99"))).block(WAIT);
		assertThat(this.reporting.execute("SELECT total FROM orders WHERE id = :id", Map.of("id", 1L)).block(WAIT).one())
			.containsEntry("total", new BigDecimal("9.99"));
	}

	@Test
	void transactionalServiceThatFailsPersistsNothing() {
		assertThatThrownBy(() -> this.orderService.placeOrder(7, new BigDecimal("10.00"), true).block(WAIT))
			.hasMessage("payment declined");
		assertThat(schema.scalar("SELECT count(*) FROM orders")).isEqualTo(0L);
		assertThat(schema.scalar("SELECT count(*) FROM audit")).isEqualTo(0L);
	}

	@Test
	void transactionalServiceThatSucceedsPersistsEverything() {
		this.orderService.placeOrder(8, new BigDecimal("12.50"), false).block(WAIT);
		assertThat(schema.scalar("SELECT total::text FROM orders WHERE id = 8")).isEqualTo("12.50");
		assertThat(schema.scalar("SELECT count(*) FROM audit WHERE order_id = 8")).isEqualTo(1L);
	}

	@Test
	void springDataRepositoryRunsOnThePrimaryNodesPool() {
		assertThat(this.connectionFactory).isSameAs(this.orders.pool().connectionFactory());
		Customer saved = this.customers.save(new Customer(null, "ada")).block(WAIT);
		assertThat(saved.id()).isNotNull();
		assertThat(this.customers.findByName("ada").collectList().block(WAIT)).containsExactly(saved);
		assertThat(this.orders.execute("SELECT name FROM customers").block(WAIT).one()).containsEntry("name", "ada");
	}

	@Test
	void repositoryWritesInsideANodeTransactionRollBackWithIt() {
		assertThatThrownBy(() -> this.orders
			.inTransaction(tx -> tx.execute("INSERT INTO orders (id, total) VALUES (9, 1.00)")
				.then(this.customers.save(new Customer(null, "grace")))
				.then(Mono.error(new IllegalStateException("payment declined"))))
			.blockLast(WAIT)).hasMessage("payment declined");
		assertThat(schema.scalar("SELECT count(*) FROM customers")).isEqualTo(0L);
		assertThat(schema.scalar("SELECT count(*) FROM orders")).isEqualTo(0L);

		this.orders.inTransaction(tx -> tx.execute("INSERT INTO orders (id, total) VALUES (9, 1.00)")
			.then(this.customers.save(new Customer(null, "grace")))
			.then(this.customers.count())).blockLast(WAIT);
		assertThat(schema.scalar("SELECT count(*) FROM customers")).isEqualTo(1L);
		assertThat(schema.scalar("SELECT count(*) FROM orders")).isEqualTo(1L);
	}

}
