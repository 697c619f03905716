package io.asyncsql.core.fuzz;

import java.util.Map;

import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.InvalidStatementException;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.test.MariaDbSchema;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MariaDbPublicApiFuzzTests extends PublicApiFuzzTests {

	private static final String SECRET = "s3cr3t-" + FuzzInput.MARKER;

	@Override
	protected TestTarget createTarget() {
		return MariaDbSchema.create("fuzz");
	}

	@Override
	protected String largeTextType() {
		return "longtext";
	}

	@Override
	protected String marker(int position) {
		return "?";
	}

	@Test
	void aSyntaxErrorDoesNotQuoteTheValuesTheDriverWroteIntoTheStatement() {
		// the driver sends values in the statement text, and the server quotes the text near the error
		assertThatThrownBy(() -> auto().execute("SELECT name FROM fuzz_items WHERE name = :name LIMIT",
				Map.of("name", "x" + SECRET)).block(WAIT))
			.isInstanceOf(InvalidStatementException.class)
			.hasMessageContaining("SQLState 42000")
			.hasMessageContaining("near '?' at line 1")
			.hasMessageNotContaining(SECRET);
		// a value cut short in the quote, where replacing the whole value cannot find it
		assertThatThrownBy(() -> auto().execute("SELECT :doc AS d FROM", Map.of("doc", Map.of("k", SECRET + "x".repeat(200))))
			.block(WAIT)).isInstanceOf(InvalidStatementException.class).hasMessageNotContaining(SECRET);
	}

	@Test
	void anIntegrityOrDataFailureDoesNotQuoteTheValue() {
		this.target.sql("CREATE TABLE fuzz_unique (code varchar(60) PRIMARY KEY, n int)");
		try {
			auto().execute("INSERT INTO fuzz_unique (code, n) VALUES (:code, 1)", Map.of("code", "a" + SECRET)).block(WAIT);
			assertThatThrownBy(() -> auto().execute("INSERT INTO fuzz_unique (code, n) VALUES (:code, 2)",
					Map.of("code", "A" + SECRET)).block(WAIT)) // equal under the default collation
				.isInstanceOf(UniqueViolationException.class)
				.hasMessageContaining("SQLState 23000")
				.hasMessageNotContaining(SECRET);
			assertThatThrownBy(() -> auto().execute("INSERT INTO fuzz_unique (code, n) VALUES ('b', :n)",
					Map.of("n", SECRET)).block(WAIT))
				.isInstanceOf(IntegrityViolationException.class)
				.hasMessageContaining("SQLState 22")
				.hasMessageNotContaining(SECRET);
		}
		finally {
			this.target.sql("DROP TABLE fuzz_unique");
		}
	}

}
