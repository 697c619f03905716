package io.asyncsql.autoconfigure;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Actuator support: keeps asyncsql secrets out of the configuration endpoints.
 */
@AutoConfiguration(after = AsyncSqlAutoConfiguration.class)
@ConditionalOnClass(SanitizingFunction.class)
@ConditionalOnBooleanProperty(name = "asyncsql.enabled", matchIfMissing = true)
public final class AsyncSqlActuatorAutoConfiguration {

	@Bean
	SanitizingFunction asyncSqlSecretsSanitizer() {
		return new AsyncSqlSecretsSanitizer();
	}

}
