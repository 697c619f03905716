package io.asyncsql.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps Spring Boot's own R2DBC {@code ConnectionFactory} configuration out while asyncsql is enabled and
 * {@code spring.r2dbc.url} is not set: the nodes' pools are the application's connection factories, and without
 * a URL Boot's configuration could only fail the startup (for example while no node is configured yet).
 */
class R2dbcAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final String R2DBC_AUTO_CONFIGURATION = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration";

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(@Nullable String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		boolean replaceBoot = this.environment != null
				&& this.environment.getProperty("asyncsql.enabled", Boolean.class, true)
				&& !this.environment.containsProperty("spring.r2dbc.url");
		for (int i = 0; i < matches.length; i++) {
			matches[i] = !(replaceBoot && R2DBC_AUTO_CONFIGURATION.equals(autoConfigurationClasses[i]));
		}
		return matches;
	}

}
