package io.asyncsql.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps Spring Boot's own R2DBC configuration out while asyncsql is enabled but has no node yet and
 * {@code spring.r2dbc.url} is not set: without a URL Boot's configuration could only fail the startup. As soon as
 * nodes are configured their pools are the application's connection factories and Boot's configuration (including
 * its {@code DatabaseClient} for Spring Data) builds on them.
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
				&& !this.environment.containsProperty("spring.r2dbc.url") && !hasNodes(this.environment);
		for (int i = 0; i < matches.length; i++) {
			matches[i] = !(replaceBoot && R2DBC_AUTO_CONFIGURATION.equals(autoConfigurationClasses[i]));
		}
		return matches;
	}

	private static boolean hasNodes(Environment environment) {
		try {
			return Binder.get(environment).bind("asyncsql.nodes", Bindable.mapOf(String.class, Object.class))
				.map(nodes -> !nodes.isEmpty()).orElse(false);
		}
		catch (RuntimeException ex) {
			// unreadable node settings are reported by the auto-configuration itself
			return true;
		}
	}

}
