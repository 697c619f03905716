package io.asyncsql.core.node;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLState 40003 (statement completion unknown), which distributed PostgreSQL-compatible engines send when a node
 * failed while a statement or its commit was in flight: the caller learns that the outcome is unknown and nothing
 * is retried. PostgreSQL itself never sends it, so a function and a deferred constraint trigger raise it here.
 */
class StatementCompletionUnknownTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static PostgresSchema schema;

	private static AsyncSqlNode node;

	@BeforeAll
	static void create() {
		schema = PostgresSchema.create("unknown");
		schema.sql("CREATE TABLE ledger (id bigint PRIMARY KEY, amount int NOT NULL)",
				"CREATE FUNCTION completion_unknown() RETURNS int LANGUAGE plpgsql AS "
						+ "$$ BEGIN RAISE EXCEPTION 'node failed during the statement' USING ERRCODE = '40003'; END $$",
				"CREATE FUNCTION unknown_at_commit() RETURNS trigger LANGUAGE plpgsql AS "
						+ "$$ BEGIN IF NEW.amount < 0 THEN RAISE EXCEPTION 'commit outcome lost' USING ERRCODE = '40003'; "
						+ "END IF; RETURN NEW; END $$",
				"CREATE CONSTRAINT TRIGGER ledger_commit AFTER INSERT ON ledger DEFERRABLE INITIALLY DEFERRED "
						+ "FOR EACH ROW EXECUTE FUNCTION unknown_at_commit()");
		node = AsyncSqlNode.builder(schema.node("distributed").build()).build();
	}

	@AfterAll
	static void close() {
		node.close();
		schema.close();
	}

	@Test
	void aStatementWithUnknownCompletionIsNotRetried() {
		assertThatThrownBy(() -> node.execute("SELECT completion_unknown() AS n").block(WAIT))
			.isInstanceOfSatisfying(CommitOutcomeUnknownException.class, ex -> {
				assertThat(ex.sqlState()).isEqualTo("40003");
				assertThat(ex.attempts()).isEqualTo(1);
				assertThat(ex.getMessage()).contains("could not tell whether the statement completed");
			});
	}

	@Test
	void aCommitWithUnknownOutcomeIsNotRetriedAsAWholeTransaction() {
		AtomicInteger runs = new AtomicInteger();
		assertThatThrownBy(() -> node.inTransaction(tx -> {
			runs.incrementAndGet();
			return tx.execute("INSERT INTO ledger (id, amount) VALUES (1, -5)");
		}).blockLast(WAIT)).isInstanceOfSatisfying(CommitOutcomeUnknownException.class,
				ex -> assertThat(ex.sqlState()).isEqualTo("40003"));
		assertThat(runs).hasValue(1);
		assertThat(schema.count("SELECT count(*) FROM ledger")).isZero();
	}

}
