package io.asyncsql.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeSettingsTests {

	private static NodeSettings.Builder node() {
		return NodeSettings.builder("orders")
			.connection(ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL, "r2dbc:postgresql://app@db:5432/orders"));
	}

	@Test
	void timeoutsMustBePositiveAndFitTheDriversMilliseconds() {
		assertThat(node().timeout(Query.MAX_TIMEOUT).transactionTimeout(Query.MAX_TIMEOUT).build().timeout())
			.isEqualTo(Query.MAX_TIMEOUT);
		assertThatIllegalArgumentException().isThrownBy(() -> node().timeout(Duration.ZERO).build())
			.withMessage("timeout must be positive but was PT0S");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> node().timeout(Duration.ofSeconds(Long.MAX_VALUE)).build())
			.withMessageStartingWith("timeout must be at most " + Query.MAX_TIMEOUT + " but was PT");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> node().transactionTimeout(Query.MAX_TIMEOUT.plusMillis(1)).build())
			.withMessageStartingWith("transaction-timeout must be at most");
	}

	@Test
	void transactionPoolingIsForPostgresqlAndOffByDefault() {
		assertThat(node().build().pooler()).isEqualTo(Pooler.NONE);
		assertThat(node().pooler(Pooler.TRANSACTION).build().toBuilder().build().pooler()).isEqualTo(Pooler.TRANSACTION);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeSettings.builder("cache")
			.connection(ConnectionSettings.of(DatabaseType.MARIADB, "db", 3306, "app", "app", null))
			.pooler(Pooler.TRANSACTION)
			.build()).withMessageContaining("pooler transaction is for PostgreSQL").withMessageContaining("mariadb");
	}

}
