package io.asyncsql.autoconfigure;

import io.asyncsql.autoconfigure.actuate.AsyncSqlEndpoint;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.util.ClassUtils;

/**
 * What asyncsql looks up reflectively, for Spring AOT and native images: the R2DBC drivers (found by class name and
 * loaded through {@code ServiceLoader}), the Jackson classes whose presence selects the JSON codec, the TLS builder
 * method probed for the host name check, and the records the {@code asyncsql} endpoint serializes.
 */
class AsyncSqlRuntimeHints implements RuntimeHintsRegistrar {

	static final String[] DRIVERS = { "io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider",
			"org.mariadb.r2dbc.MariadbConnectionFactoryProvider", "io.r2dbc.h2.H2ConnectionFactoryProvider" };

	static final String[] PROBED_TYPES = { "tools.jackson.databind.JsonNode", "tools.jackson.databind.json.JsonMapper",
			"com.fasterxml.jackson.databind.JsonNode", "com.fasterxml.jackson.databind.ObjectMapper" };

	static final String TLS_BUILDER = "io.netty.handler.ssl.SslContextBuilder";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (String driver : DRIVERS) {
			hints.reflection().registerTypeIfPresent(classLoader, driver, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
		}
		hints.resources().registerPattern("META-INF/services/io.r2dbc.spi.ConnectionFactoryProvider");
		for (String type : PROBED_TYPES) {
			hints.reflection().registerTypeIfPresent(classLoader, type, hint -> {
			});
		}
		hints.reflection().registerTypeIfPresent(classLoader, TLS_BUILDER, MemberCategory.INVOKE_PUBLIC_METHODS);
		if (isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint", classLoader)) {
			new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
					AsyncSqlEndpoint.AsyncSqlDescriptor.class);
		}
	}

	private static boolean isPresent(String className, @Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(className, classLoader);
	}

}
