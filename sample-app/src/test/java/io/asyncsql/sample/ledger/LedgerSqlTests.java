package io.asyncsql.sample.ledger;

import java.util.List;
import java.util.Map;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.Query;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The dialect switch of the ledger's SQL.
 */
class LedgerSqlTests {

	@Test
	void postgresqlUsesArraysAndJsonContainment() {
		LedgerSql sql = LedgerSql.of(DatabaseType.POSTGRESQL);
		assertThat(sql.schemaScript()).isEqualTo("schema-postgresql.sql");
		Query byIds = sql.accountsByIds(List.of(3L, 1L));
		assertThat(byIds.sql()).contains("id = ANY(:ids)");
		assertThat(byIds.params()).containsEntry("ids", List.of(3L, 1L));
		assertThat(sql.accountsByTag("premium", 10).sql()).contains(":tag = ANY(tags)");
		Query atVersion = sql.auditEventAtVersion(7, 3);
		assertThat(atVersion.sql()).contains("event_data @> :probe");
		assertThat(atVersion.params()).containsEntry("probe", Map.of("account", Map.of("version", 3L)));
		assertThat(sql.lockAccounts(List.of(1L, 2L)).sql()).endsWith("ORDER BY id FOR UPDATE");
	}

	@Test
	void aDatabaseWithoutLedgerSqlIsRefusedByName() {
		assertThatIllegalStateException().isThrownBy(() -> LedgerSql.of(DatabaseType.MARIADB))
			.withMessageContaining("mariadb");
	}

}
