package io.asyncsql.autoconfigure;

import java.util.Locale;

import io.asyncsql.core.SecretMasking;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks asyncsql secrets wherever Actuator shows configuration ({@code /actuator/configprops},
 * {@code /actuator/env}), even when values are shown: node passwords entirely, and the password part of URLs.
 */
class AsyncSqlSecretsSanitizer implements SanitizingFunction {

	@Override
	public SanitizableData apply(SanitizableData data) {
		String key = data.getKey().toLowerCase(Locale.ROOT);
		if (!key.startsWith("asyncsql.")) {
			return data;
		}
		if (key.endsWith("password")) {
			return data.withSanitizedValue();
		}
		if (key.endsWith(".url") && data.getValue() instanceof CharSequence url) {
			return data.withValue(SecretMasking.maskUrl(url.toString()));
		}
		return data;
	}

}
