package io.asyncsql.autoconfigure;

import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcConnectionDetails;
import org.springframework.util.ClassUtils;

/**
 * Reads Spring Boot's {@link R2dbcConnectionDetails} (contributed, for example, by a Testcontainers
 * {@code @ServiceConnection}) when {@code spring-boot-r2dbc} is on the class path.
 */
final class BootConnectionDetails {

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
		return (details != null) ? details.getConnectionFactoryOptions() : null;
	}

}
