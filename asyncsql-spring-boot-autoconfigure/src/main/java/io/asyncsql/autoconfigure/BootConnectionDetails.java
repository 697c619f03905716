package io.asyncsql.autoconfigure;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.util.ClassUtils;

/**
 * Reads Spring Boot's {@link R2dbcConnectionDetails} contributed by a Testcontainers {@code @ServiceConnection} or
 * Docker Compose, when {@code spring-boot-r2dbc} is on the class path. The details Boot derives from
 * {@code spring.r2dbc.url} are not used: with nodes, that property is ignored.
 */
final class BootConnectionDetails {

	private static final String PROPERTIES_DETAILS = "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration$PropertiesR2dbcConnectionDetails";

	private BootConnectionDetails() {
	}

	/**
	 * The options of the application's connection details.
	 * @param beanFactory the bean factory
	 * @return the options, or {@code null} when there are no (unique) connection details
	 */
	static @Nullable ConnectionFactoryOptions options(ListableBeanFactory beanFactory) {
		if (!ClassUtils.isPresent(AsyncSqlBeanRegistrar.CONNECTION_DETAILS, BootConnectionDetails.class.getClassLoader())) {
			return null;
		}
		R2dbcConnectionDetails details = beanFactory.getBeanProvider(R2dbcConnectionDetails.class).getIfUnique();
		// spring.r2dbc.url describes Boot's own connection factory, which the nodes replace (see SpringR2dbcUrl)
		if (details == null || details.getClass().getName().equals(PROPERTIES_DETAILS)) {
			return null;
		}
		ConnectionFactoryOptions options = details.getConnectionFactoryOptions();
		// only a server can stand in for a node's missing host
		return options.hasOption(ConnectionFactoryOptions.HOST) ? options : null;
	}

}
