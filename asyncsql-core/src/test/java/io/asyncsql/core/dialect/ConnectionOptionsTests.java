package io.asyncsql.core.dialect;

import java.util.Set;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A URL R2DBC cannot parse is refused without its password: R2DBC's own messages quote the whole URL.
 */
class ConnectionOptionsTests {

	@ParameterizedTest
	@ValueSource(strings = { "postgresql://app:s3cr3t-pw@db:5432/prod", "r2dbc:postgresql://app@db/prod?password=s3cr3t-pw",
			"r2dbc:postgresql://app:s3cr3t-pw@d b:5432/prod" })
	void aMalformedUrlIsRefusedWithItsPasswordMasked(String url) {
		NodeSettings settings = NodeSettings.builder("orders")
			.connection(ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL, url))
			.build();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ConnectionOptions.of(settings, "postgresql", Set.of("postgresql", "postgres")))
			.withMessageContaining("is not a valid R2DBC URL")
			.withMessageContaining("******")
			.withMessageNotContaining("s3cr3t-pw")
			.withNoCause();
	}

}
