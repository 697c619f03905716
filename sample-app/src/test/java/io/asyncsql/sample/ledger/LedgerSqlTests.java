package io.asyncsql.sample.ledger;

import java.util.List;

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
	void postgresqlUsesArrayParameters() {
		LedgerSql sql = LedgerSql.of(DatabaseType.POSTGRESQL);
		assertThat(sql.schemaScript()).isEqualTo("schema-postgresql.sql");
		Query byIds = sql.accountsByIds(List.of(3L, 1L));
		assertThat(byIds.sql()).contains("id = ANY(:ids)");
		assertThat(byIds.params()).containsEntry("ids", List.of(3L, 1L));
		assertThat(sql.accountsByTag("premium", 10).sql()).contains(":tag = ANY(tags)");
		Query atVersion = sql.auditEventAtVersion(7, 3);
		assertThat(atVersion.sql()).contains("account_version = :version");
		assertThat(atVersion.params()).containsEntry("accountId", 7L).containsEntry("version", 3L);
		assertThat(sql.lockAccounts(List.of(1L, 2L)).sql()).endsWith("ORDER BY id FOR UPDATE");
		assertThat(sql.insertAccount()).endsWith("RETURNING *");
	}

	@Test
	void h2ReadsWrittenRowsFromADeltaTable() {
		LedgerSql sql = LedgerSql.of(DatabaseType.H2);
		assertThat(sql.schemaScript()).isEqualTo("schema-h2.sql");
		assertThat(sql.insertAccount()).startsWith("SELECT * FROM FINAL TABLE (INSERT INTO accounts");
		assertThat(sql.accountsByIds(List.of(2L)).sql()).contains("id = ANY(:ids)");
		assertThat(sql.lockAccounts(List.of(1L, 2L)).sql()).endsWith("ORDER BY id FOR UPDATE");
	}

	@Test
	void aDatabaseWithoutLedgerSqlIsRefusedByName() {
		assertThatIllegalStateException().isThrownBy(() -> LedgerSql.of(DatabaseType.MARIADB))
			.withMessageContaining("mariadb");
	}

}
