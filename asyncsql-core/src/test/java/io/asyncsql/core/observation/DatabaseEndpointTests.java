package io.asyncsql.core.observation;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What spans say about the server: read from host/port/database or from the URL, with the product's default port,
 * and never the credentials.
 */
class DatabaseEndpointTests {

	@Test
	void aUrlGivesHostPortAndDatabaseButNotItsCredentials() {
		DatabaseEndpoint endpoint = DatabaseEndpoint
			.of(ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL, "r2dbc:postgresql://app:s3cret@db.example:6543/orders"));
		assertThat(endpoint.namespace()).isEqualTo("orders");
		assertThat(endpoint.serverAddress()).isEqualTo("db.example");
		assertThat(endpoint.serverPort()).isEqualTo(6543);
		assertThat(endpoint.systemName()).isEqualTo("postgresql");
		assertThat(endpoint.remoteServiceAddress()).isEqualTo("postgresql://db.example:6543");
		assertThat(endpoint.toString()).doesNotContain("s3cret").doesNotContain("app");
	}

	@Test
	void aHostWithoutPortGetsTheProductsDefault() {
		DatabaseEndpoint endpoint = DatabaseEndpoint
			.of(ConnectionSettings.of(DatabaseType.MARIADB, "maria", null, "shop", "root", null));
		assertThat(endpoint.serverPort()).isEqualTo(3306);
		assertThat(endpoint.systemName()).isEqualTo("mariadb");
		assertThat(DatabaseEndpoint.of(ConnectionSettings.of(DatabaseType.POSTGRESQL, "::1", null, "x", "u", null))
			.remoteServiceAddress()).isEqualTo("postgresql://[::1]:5432");
	}

	@Test
	void embeddedH2HasANamespaceButNoServer() {
		DatabaseEndpoint fromUrl = DatabaseEndpoint.of(ConnectionSettings.ofUrl(DatabaseType.H2, "r2dbc:h2:mem:///ledger"));
		assertThat(fromUrl.systemName()).isEqualTo("h2database");
		assertThat(fromUrl.namespace()).isEqualTo("ledger");
		assertThat(fromUrl.serverAddress()).isNull();
		assertThat(fromUrl.serverPort()).isEqualTo(-1);
		assertThat(fromUrl.remoteServiceAddress()).isNull();
		DatabaseEndpoint tcp = DatabaseEndpoint.of(ConnectionSettings.ofUrl(DatabaseType.H2, "r2dbc:h2:tcp://h2host:9093/data"));
		assertThat(tcp.serverAddress()).isEqualTo("h2host");
		assertThat(tcp.serverPort()).isEqualTo(9093);
	}

}
