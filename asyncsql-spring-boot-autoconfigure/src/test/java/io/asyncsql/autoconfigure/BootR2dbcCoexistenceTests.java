package io.asyncsql.autoconfigure;

import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.test.TestDatabases;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter next to Spring Boot's own R2DBC support: an application starts without {@code spring.r2dbc.url},
 * and an explicit {@code spring.r2dbc.url} still works.
 */
class BootR2dbcCoexistenceTests {

	private static ConfigurableApplicationContext start(String... args) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	@Test
	void startsWithoutNodesAndWithoutSpringR2dbcUrl() {
		try (ConfigurableApplicationContext context = start("--spring.main.banner-mode=off")) {
			assertThat(context.getBean(AsyncSqlNodes.class).names()).isEmpty();
			assertThat(context.getBeansOfType(ConnectionFactory.class)).isEmpty();
		}
	}

	@Test
	void explicitSpringR2dbcUrlStillConfiguresBootsConnectionFactory() {
		try (ConfigurableApplicationContext context = start("--spring.main.banner-mode=off",
				"--spring.r2dbc.url=" + TestDatabases.postgres().url())) {
			assertThat(context.getBeansOfType(ConnectionFactory.class)).hasSize(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
