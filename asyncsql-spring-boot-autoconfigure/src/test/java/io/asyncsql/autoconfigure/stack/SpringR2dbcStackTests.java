package io.asyncsql.autoconfigure.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.r2dbc.ConnectionFactoryDecorator;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything Spring Boot does with a {@code ConnectionFactory}, with and without nodes: Boot's own R2DBC
 * auto-configuration when there are none (embedded H2, {@code R2dbcConnectionDetails}, SQL initialization, health,
 * pool metrics), and on the primary node's pool when there are (SQL initialization with embedded detection, a Spring
 * Data repository with its default identifier quoting on H2 and PostgreSQL, {@code DatabaseClient}, option
 * customizers and decorators, {@code spring.r2dbc.url} beside nodes).
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringR2dbcStackTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final PostgresSchema schema = PostgresSchema.create("stack");

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	private static ConfigurableApplicationContext start(Class<?>[] sources, String... args) {
		SpringApplication application = new SpringApplication(sources);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> all = new ArrayList<>(List.of("--spring.main.banner-mode=off",
				"--spring.sql.init.schema-locations=classpath:stack/schema.sql",
				"--spring.sql.init.data-locations=classpath:stack/data.sql"));
		all.addAll(List.of(args));
		return application.run(all.toArray(String[]::new));
	}

	private static ConfigurableApplicationContext start(String... args) {
		return start(new Class<?>[] { StackApplication.class }, args);
	}

	private static String[] postgresNode(String... more) {
		TestDatabase database = TestDatabases.postgres();
		List<String> args = new ArrayList<>(List.of("--asyncsql.nodes.main.database-type=postgresql",
				"--asyncsql.nodes.main.host=" + database.host(), "--asyncsql.nodes.main.port=" + database.port(),
				"--asyncsql.nodes.main.database=" + database.database(),
				"--asyncsql.nodes.main.username=" + database.username(),
				"--asyncsql.nodes.main.options.search_path=" + schema.name()));
		if (database.password() != null) {
			args.add("--asyncsql.nodes.main.password=" + database.password());
		}
		args.addAll(List.of(more));
		return args.toArray(String[]::new);
	}

	/** The script's row is there, and a repository round trip works with Spring Data's default quoting. */
	private static void assertRepositoryWorks(ConfigurableApplicationContext context) {
		LibraryBookRepository books = context.getBean(LibraryBookRepository.class);
		assertThat(books.findAll().map(LibraryBook::title).collectList().block(WAIT)).containsExactly("Dune");
		LibraryBook saved = books.save(new LibraryBook(null, "Emma")).block(WAIT);
		assertThat(saved.id()).isNotNull();
		assertThat(books.findById(saved.id()).map(LibraryBook::title).block(WAIT)).isEqualTo("Emma");
		assertThat(books.findByTitle("Emma").count().block(WAIT)).isEqualTo(1);
		assertThat(context.getBean(DatabaseClient.class).sql("SELECT count(*) AS n FROM library_book")
			.map(row -> row.get("n", Long.class)).one().block(WAIT)).isEqualTo(2L);
	}

	@Test
	void withoutNodesBootsOwnR2dbcConfigurationRunsEmbeddedH2WithSqlInitHealthAndMetrics() {
		try (ConfigurableApplicationContext context = start("--spring.r2dbc.generate-unique-name=true")) {
			assertThat(context.getBean(AsyncSqlNodes.class).names()).isEmpty();
			assertThat(context.getBeansOfType(ConnectionFactory.class)).containsOnlyKeys("connectionFactory");
			ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
			assertThat(connectionFactory.getMetadata().getName()).isEqualTo("H2");
			assertRepositoryWorks(context);
			assertThat(context.containsBean("r2dbcHealthContributor")).isTrue();
			assertThat(context.getBean(MeterRegistry.class).find("r2dbc.pool.acquired")
				.tag("name", "connectionFactory").gauge()).isNotNull();
		}
	}

	@Test
	void withoutNodesSpringR2dbcUrlConfiguresBootsConnectionFactory() {
		try (ConfigurableApplicationContext context = start("--spring.sql.init.mode=always",
				"--spring.r2dbc.url=" + TestDatabases.postgres().url() + "?options=search_path%3D" + schema.name())) {
			assertThat(context.getBeansOfType(ConnectionFactory.class)).containsOnlyKeys("connectionFactory");
			assertThat(context.getBean(ConnectionFactory.class).getMetadata().getName()).isEqualTo("PostgreSQL");
			assertRepositoryWorks(context);
		}
	}

	@Test
	void withoutNodesBootUsesTheApplicationsConnectionDetails() {
		try (ConfigurableApplicationContext context = start(
				new Class<?>[] { StackApplication.class, PostgresConnectionDetails.class },
				"--spring.sql.init.mode=always")) {
			assertThat(context.getBean(AsyncSqlNodes.class).names()).isEmpty();
			assertThat(context.getBean(ConnectionFactory.class).getMetadata().getName()).isEqualTo("PostgreSQL");
			assertRepositoryWorks(context);
		}
	}

	@Test
	void anH2NodeIsEmbeddedForSqlInitAndServesRepositoriesWithDefaultQuoting() {
		try (ConfigurableApplicationContext context = start("--asyncsql.nodes.main.database-type=h2")) {
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			assertThat(context.getBean(ConnectionFactory.class)).isSameAs(node.pool().connectionFactory());
			assertRepositoryWorks(context);
			assertThat(scalar(node, "SELECT title FROM library_book WHERE title = :t", Map.of("t", "Emma")))
				.isEqualTo("Emma");
		}
	}

	@Test
	void nodeOptionsReplaceTheSettingsTheH2NodeAdds() {
		try (ConfigurableApplicationContext context = start("--asyncsql.nodes.main.database-type=h2",
				"--asyncsql.nodes.main.options.DATABASE_TO_LOWER=FALSE", "--asyncsql.nodes.main.allow-admin=true",
				"--spring.sql.init.mode=never")) {
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			node.execute("CREATE TABLE mixed_case (x INT)").block(WAIT);
			assertThat(scalar(node, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'MIXED_CASE'",
					Map.of())).isEqualTo(1L);
		}
	}

	@Test
	void aPostgresNodeServesSqlInitRepositoriesCustomizersAndDecorators() {
		try (ConfigurableApplicationContext context = start(
				new Class<?>[] { StackApplication.class, CustomizedConnections.class },
				postgresNode("--spring.sql.init.mode=always"))) {
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			assertRepositoryWorks(context);
			assertThat(scalar(node, "SELECT current_setting('application_name')", Map.of())).isEqualTo("stack-tests");
			CountingConnectionFactory counting = unwrapTo(node.pool().connectionFactory(), CountingConnectionFactory.class);
			assertThat(counting).as("the decorator sits between the pool and the driver").isNotNull();
			assertThat(counting.created.get()).isPositive();
		}
	}

	@Test
	void springR2dbcUrlBesideNodesIsIgnoredWithAWarningNamingTheWinner(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("--asyncsql.nodes.main.database-type=h2",
				"--asyncsql.nodes.main.database=stack_winner",
				"--spring.r2dbc.url=r2dbc:h2:mem:///stack_loser?options=DB_CLOSE_DELAY=-1")) {
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			assertThat(context.getBeansOfType(ConnectionFactory.class)).hasSize(1);
			assertThat(context.getBean(ConnectionFactory.class)).isSameAs(node.pool().connectionFactory());
			assertRepositoryWorks(context);
			assertThat(output).contains("spring.r2dbc.url is set, but so is asyncsql.nodes: the primary node 'main' "
					+ "(h2://embedded/stack_winner) is the application's ConnectionFactory and spring.r2dbc.url is not used")
				.contains("remove asyncsql.nodes or set asyncsql.enabled=false");
		}
	}

	private static Object scalar(AsyncSqlNode node, String sql, Map<String, ?> params) {
		return node.execute(sql, params).map(result -> result.one().values().iterator().next()).block(WAIT);
	}

	private static <T> T unwrapTo(Object factory, Class<T> type) {
		Object current = factory;
		for (int depth = 0; depth < 8 && current != null; depth++) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			current = (current instanceof Wrapped<?> wrapped) ? wrapped.unwrap() : null;
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	static class PostgresConnectionDetails {

		@Bean
		R2dbcConnectionDetails r2dbcConnectionDetails() {
			TestDatabase database = TestDatabases.postgres();
			return () -> ConnectionFactoryOptions.builder()
				.option(ConnectionFactoryOptions.DRIVER, "postgresql")
				.option(ConnectionFactoryOptions.HOST, database.host())
				.option(ConnectionFactoryOptions.PORT, database.port())
				.option(ConnectionFactoryOptions.DATABASE, database.database())
				.option(ConnectionFactoryOptions.USER, database.username())
				.option(ConnectionFactoryOptions.PASSWORD, (database.password() != null) ? database.password() : "")
				.option(io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider.OPTIONS,
						Map.of("search_path", schema.name()))
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizedConnections {

		@Bean
		ConnectionFactoryOptionsBuilderCustomizer applicationName() {
			return options -> options.option(io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider.APPLICATION_NAME,
					"stack-tests");
		}

		@Bean
		ConnectionFactoryDecorator counting() {
			return CountingConnectionFactory::new;
		}

	}

	/** Counts the connections the pool opens through it. */
	static final class CountingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

		private final ConnectionFactory delegate;

		final AtomicInteger created = new AtomicInteger();

		CountingConnectionFactory(ConnectionFactory delegate) {
			this.delegate = delegate;
		}

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.from(this.delegate.create()).doOnNext(connection -> this.created.incrementAndGet());
		}

		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return this.delegate.getMetadata();
		}

		@Override
		public ConnectionFactory unwrap() {
			return this.delegate;
		}

	}

}
