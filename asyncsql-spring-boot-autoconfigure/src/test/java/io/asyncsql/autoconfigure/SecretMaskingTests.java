package io.asyncsql.autoconfigure;

import io.asyncsql.core.AsyncSqlNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("reliability")
class SecretMaskingTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, AsyncSqlActuatorAutoConfiguration.class,
				EndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
				EnvironmentEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoint.configprops.show-values=always",
				"management.endpoint.env.show-values=always",
				"management.endpoints.web.exposure.include=*",
				"asyncsql.nodes.secret.database-type=postgresql", "asyncsql.nodes.secret.host=localhost",
				"asyncsql.nodes.secret.database=app", "asyncsql.nodes.secret.username=app_user",
				"asyncsql.nodes.secret.password=s3cr3t-value",
				"asyncsql.nodes.by_url.url=r2dbc:postgresql://app_user:url-s3cr3t@localhost:5432/app");

	@Test
	void configpropsMasksPasswordsAndUrlCredentials() {
		this.runner.run(context -> {
			String report = JSON.writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class)
				.configurationProperties());
			assertThat(report).contains("app_user").doesNotContain("s3cr3t-value").doesNotContain("url-s3cr3t");
			assertThat(report).contains("r2dbc:postgresql://app_user:******@localhost:5432/app");
		});
	}

	@Test
	void envMasksPasswordsAndUrlCredentials() {
		this.runner.run(context -> {
			String env = JSON.writeValueAsString(context.getBean(EnvironmentEndpoint.class).environment(null));
			assertThat(env).contains("asyncsql.nodes.secret.password").doesNotContain("s3cr3t-value")
				.doesNotContain("url-s3cr3t");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "postgresql://app_user:url-s3cr3t@localhost:5432/app",
			"r2dbc:postgresql://app_user@localhost:5432/app?password=url-s3cr3t",
			"r2dbc:postgresql://app_user:url-s3cr3t@local host:5432/app" })
	void aMalformedUrlFailsStartupWithoutQuotingItsPassword(String url) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class))
			.withPropertyValues("asyncsql.nodes.broken.database-type=postgresql", "asyncsql.nodes.broken.url=" + url)
			.run(context -> {
				assertThat(context).hasFailed();
				StringBuilder messages = new StringBuilder();
				for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
					messages.append(t).append('\n');
					for (Throwable suppressed : t.getSuppressed()) {
						messages.append(suppressed).append('\n');
					}
				}
				assertThat(messages.toString()).contains("asyncsql.nodes.broken.url").doesNotContain("url-s3cr3t");
			});
	}

	@Test
	void nodesAndSettingsNeverShowThePassword() {
		this.runner.run(context -> {
			for (AsyncSqlNode node : context.getBeansOfType(AsyncSqlNode.class).values()) {
				assertThat(node.toString()).doesNotContain("s3cr3t").doesNotContain("url-s3cr3t");
				assertThat(node.settings().toString()).doesNotContain("s3cr3t-value").doesNotContain("url-s3cr3t");
				assertThat(node.pool().target()).doesNotContain("url-s3cr3t");
			}
			assertThat(context.getBean("by_url", AsyncSqlNode.class).pool().target())
				.isEqualTo("r2dbc:postgresql://app_user:******@localhost:5432/app");
		});
	}

}
