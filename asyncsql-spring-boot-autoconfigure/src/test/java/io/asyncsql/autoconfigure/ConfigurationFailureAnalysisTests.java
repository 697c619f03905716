package io.asyncsql.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.asyncsql.core.dialect.MissingDriverException;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bad configuration fails at startup with a description naming the property and the fix, as a real application
 * would print it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureAnalysisTests {

	private static String[] validNode(String name) {
		var database = TestDatabases.postgres();
		return new String[] { "asyncsql.nodes." + name + ".database-type=postgresql",
				"asyncsql.nodes." + name + ".host=" + database.host(), "asyncsql.nodes." + name + ".port=" + database.port(),
				"asyncsql.nodes." + name + ".database=" + database.database(),
				"asyncsql.nodes." + name + ".username=" + database.username() };
	}

	private static void start(String... properties) {
		start(new Class<?>[] { App.class }, properties);
	}

	private static void start(Class<?>[] sources, String... properties) {
		SpringApplication application = new SpringApplication(sources);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>();
		for (String property : properties) {
			args.add("--" + property);
		}
		args.add("--spring.main.banner-mode=off");
		assertThatThrownBy(() -> application.run(args.toArray(String[]::new)).close()).isNotNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"missing host | asyncsql.nodes.x.database-type=postgresql | asyncsql.nodes.x.host | is missing",
			"missing database | asyncsql.nodes.x.database-type=postgresql,asyncsql.nodes.x.host=localhost | asyncsql.nodes.x.database | is missing",
			"missing type | asyncsql.nodes.x.host=localhost,asyncsql.nodes.x.database=d | asyncsql.nodes.x.database-type | postgresql, mysql, mariadb, h2",
			"negative size | VALID,asyncsql.nodes.x.pool.max-size=-1 | asyncsql.nodes.x.pool.max-size | must be >= 1 but was -1",
			"max below initial | VALID,asyncsql.nodes.x.pool.initial-size=5,asyncsql.nodes.x.pool.max-size=2 | asyncsql.nodes.x.pool.max-size | smaller than pool.initial-size",
			"negative duration | VALID,asyncsql.nodes.x.timeout=-5s | asyncsql.nodes.x.timeout | must be a positive duration",
			"endless duration | VALID,asyncsql.nodes.x.transaction-timeout=30d | asyncsql.nodes.x.transaction-timeout | must be at most PT596H31M23.647S",
			"negative default | VALID,asyncsql.defaults.pool.max-acquire-time=-1s | asyncsql.defaults.pool.max-acquire-time | positive duration",
			"negative retries | VALID,asyncsql.defaults.retry.max-retries=-2 | asyncsql.defaults.retry.max-retries | must be >= 0",
			"unknown parameter type | VALID,asyncsql.nodes.x.parameter-types.metadata=jsonbb | asyncsql.nodes.x.parameter-types.metadata | not a PostgreSQL type",
			"pooled url | asyncsql.nodes.x.url=r2dbc:pool:postgresql://localhost/db | asyncsql.nodes.x.url | pool",
			"bad hosts entry | asyncsql.nodes.x.database-type=postgresql,asyncsql.nodes.x.database=d,asyncsql.nodes.x.hosts[0]=db1:5432,asyncsql.nodes.x.hosts[1]=db2:99999 | asyncsql.nodes.x.hosts | has a port outside 1-65535",
			"driver not on the class path | asyncsql.nodes.x.database-type=mariadb,asyncsql.nodes.x.host=localhost,asyncsql.nodes.x.database=d | asyncsql.nodes.x.database-type | org.mariadb:r2dbc-mariadb" })
	void invalidSettingsAreExplained(String description, String properties, String property, String problem,
			CapturedOutput output) {
		List<String> all = new ArrayList<>();
		for (String property0 : properties.split(",")) {
			if (property0.equals("VALID")) {
				all.addAll(List.of(validNode("x")));
			}
			else {
				all.add(property0);
			}
		}
		start(all.toArray(String[]::new));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid asyncsql configuration")
			.contains("Property: " + property)
			.contains(problem)
			.contains("Action:");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"pool.max-sise | asyncsql.nodes.x.pool.max-sise=5 | `max-size` (asyncsql.nodes.x.pool.max-size)",
			"transaction-mod | asyncsql.nodes.x.transaction-mod=none | `transaction-mode` (asyncsql.nodes.x.transaction-mode)",
			"defaults retry | asyncsql.defaults.retry.max-retrys=2 | `max-retries` (asyncsql.defaults.retry.max-retries)",
			"group typo | asyncsql.nodez.x.timeout=5s | `nodes.x.timeout` (asyncsql.nodes.x.timeout)",
			"locking | asyncsql.locking.max-retry=2 | `max-retries` (asyncsql.locking.max-retries)",
			"nothing near | asyncsql.nodes.x.completely-unrelated-name=1 | Correct or remove the key" })
	void unknownKeysStopTheStartupNamingTheNearestValidKey(String description, String typo, String suggestion,
			CapturedOutput output) {
		List<String> properties = new ArrayList<>(List.of(validNode("x")));
		properties.add(typo);
		start(properties.toArray(String[]::new));
		String key = typo.substring(0, typo.indexOf('='));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: " + key)
			.contains("is not an asyncsql setting")
			.contains(suggestion);
		if (description.equals("nothing near")) {
			assertThat(output).doesNotContain("Did you mean");
		}
	}

	@Test
	void aBeanNamedLikeANodeStopsTheStartupNamingTheNode(CapturedOutput output) {
		start(new Class<?>[] { App.class, BeanNamedX.class }, validNode("x"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: asyncsql.nodes.x")
			.contains("needs the bean name 'x' for its node, but the application already defines a bean of that name")
			.contains("Rename the node or the application's bean");
	}

	@Test
	void badTransactionModeNamesThePropertyAndTheValidValues(CapturedOutput output) {
		List<String> properties = new ArrayList<>(List.of(validNode("x")));
		properties.add("asyncsql.nodes.x.transaction-mode=sometimes");
		start(properties.toArray(String[]::new));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("asyncsql.nodes.x.transaction-mode")
			.contains("sometimes")
			.contains("AUTO").contains("MANUAL").contains("NONE");
	}

	@Test
	void badDatabaseTypeNamesThePropertyAndTheValidValues(CapturedOutput output) {
		start("asyncsql.nodes.x.database-type=oracle", "asyncsql.nodes.x.host=localhost", "asyncsql.nodes.x.database=d");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("asyncsql.nodes.x.database-type")
			.contains("POSTGRESQL").contains("MARIADB").contains("H2");
	}

	@Test
	void missingDriverNamesTheDependencyToAdd() {
		FailureAnalysis analysis = new MissingDriverFailureAnalyzer()
			.analyze(new IllegalStateException(new MissingDriverException(DatabaseType.MARIADB, "org.mariadb:r2dbc-mariadb")));
		assertThat(analysis.getDescription()).contains("database-type mariadb");
		assertThat(analysis.getAction()).contains("org.mariadb:r2dbc-mariadb");
	}

	@Test
	void passwordsNeverAppearInFailures(CapturedOutput output) {
		List<String> properties = new ArrayList<>(List.of(validNode("x")));
		properties.add("asyncsql.nodes.x.password=hunter2-secret");
		properties.add("asyncsql.nodes.x.pool.max-size=0");
		start(properties.toArray(String[]::new));
		assertThat(output).contains("asyncsql.nodes.x.pool.max-size").doesNotContain("hunter2-secret");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

	@Configuration(proxyBeanMethods = false)
	static class BeanNamedX {

		@Bean
		String x() {
			return "not a node";
		}

	}

}
