package io.asyncsql.autoconfigure.stack;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.autoconfigure.AsyncSqlNodeCustomizer;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.transaction.ReactiveTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The override points: ordered {@link AsyncSqlNodeCustomizer}s, a node on the application's own connection pool,
 * and an application's own {@code <node>TransactionManager}.
 */
class NodeOverrideTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static ConfigurableApplicationContext start(Class<?> configuration, String... args) {
		SpringApplication application = new SpringApplication(StackApplication.class, configuration);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] all = new String[args.length + 2];
		all[0] = "--spring.main.banner-mode=off";
		all[1] = "--spring.sql.init.mode=never";
		System.arraycopy(args, 0, all, 2, args.length);
		return application.run(all);
	}

	@Test
	void customizersRunInOrderBeforeTheNodeIsBuilt() {
		try (ConfigurableApplicationContext context = start(Customizers.class, "--asyncsql.nodes.main.database-type=h2",
				"--asyncsql.nodes.main.pool.max-size=2")) {
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			// the later customizer saw the earlier one's value and doubled it
			assertThat(node.settings().pool().maxSize()).isEqualTo(10);
			assertThat(node.pool().stats().maxAllocated()).isEqualTo(10);
		}
	}

	@Test
	void aNodeRunsOnTheApplicationsOwnPoolAndLeavesItOpen() {
		try (ConfigurableApplicationContext context = start(OwnPool.class, "--asyncsql.nodes.main.database-type=h2",
				"--asyncsql.nodes.main.connection-factory=appPool")) {
			ConnectionPool appPool = context.getBean("appPool", ConnectionPool.class);
			AsyncSqlNode node = context.getBean(AsyncSqlNode.class);
			assertThat(node.pool().connectionFactory()).isSameAs(appPool);
			assertThat(node.execute("SELECT 41 + 1", Map.of()).map(result -> result.one().values().iterator().next())
				.block(WAIT)).isEqualTo(42);
			context.getBean(AsyncSqlNodes.class).close();
			assertThat(appPool.isDisposed()).as("the application closes its own pool").isFalse();
		}
	}

	@Test
	void theApplicationsTransactionManagerForANodeWins() {
		try (ConfigurableApplicationContext context = start(OwnTransactionManager.class,
				"--asyncsql.nodes.main.database-type=h2")) {
			assertThat(context.getBean("mainTransactionManager")).isSameAs(OwnTransactionManager.MANAGER);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(2)
		AsyncSqlNodeCustomizer doublePool() {
			return settings -> settings.toBuilder()
				.pool(settings.pool().toBuilder().maxSize(settings.pool().maxSize() * 2).build())
				.build();
		}

		@Bean
		@Order(1)
		AsyncSqlNodeCustomizer fivePlusPool() {
			return settings -> settings.toBuilder()
				.pool(settings.pool().toBuilder().maxSize(settings.pool().maxSize() + 3).build())
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPool {

		@Bean
		ConnectionPool appPool() {
			return new ConnectionPool(ConnectionPoolConfiguration
				.builder(ConnectionFactories.get("r2dbc:h2:mem:///own_pool?options=DB_CLOSE_DELAY=-1"))
				.maxSize(3)
				.build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTransactionManager {

		static final ReactiveTransactionManager MANAGER = new R2dbcTransactionManager(
				ConnectionFactories.get("r2dbc:h2:mem:///own_tm"));

		@Bean
		ReactiveTransactionManager mainTransactionManager() {
			return MANAGER;
		}

	}

}
