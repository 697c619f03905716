package io.asyncsql.core.node;

import java.util.List;

import io.asyncsql.core.sql.BoundStatement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is left of database messages once bound values are removed: the messages are MariaDB's own, quoted as its
 * server writes them.
 */
class FailureScrubTests {

	private static final BoundStatement ONE_VALUE = new BoundStatement("SELECT ?", new Object[] { "secret" }, List.of("v"),
			null);

	@Test
	void theStatementTextNearASyntaxErrorGoesWhenValuesWereBound() {
		String message = "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server "
				+ "version for the right syntax to use near ''{\"k\":\"secr...' LIMIT' at line 1";
		assertThat(FailureTranslator.scrub(message, "42000", ONE_VALUE)).endsWith("to use near '?' at line 1");
		// without values there is nothing to hide, and the quote helps find the error
		BoundStatement none = new BoundStatement("SELECT x LIMIT", new Object[0], List.of(), null);
		assertThat(FailureTranslator.scrub("... near 'LIMIT' at line 1", "42000", none)).isEqualTo("... near 'LIMIT' at line 1");
	}

	@Test
	void inputWithQuotesOfItsOwnGoesWhole() {
		// neither server escapes the quotes inside the input it quotes
		assertThat(FailureTranslator.scrub("invalid input syntax for type bigint: \"a\"secret\"b\"", "22P02", ONE_VALUE))
			.isEqualTo("invalid input syntax for type bigint: \"?\"");
		assertThat(FailureTranslator.scrub("malformed array literal: \"{\"x\"secret}\"", "22P02", null))
			.isEqualTo("malformed array literal: \"?\"");
		assertThat(FailureTranslator.scrub("Truncated incorrect DECIMAL value: 'a' secret 'b'='c'", "22007", null))
			.isEqualTo("Truncated incorrect DECIMAL value: '?'");
	}

	@Test
	void singleQuotedInputOfIntegrityAndDataFailuresGoes() {
		assertThat(FailureTranslator.scrub("Duplicate entry 'Asecret-cut' for key 'PRIMARY'", "23000", ONE_VALUE))
			.isEqualTo("Duplicate entry '?'");
		assertThat(FailureTranslator.scrub("Incorrect integer value: 'secret-x' for column `t`.`n` at row 1", "22007",
				ONE_VALUE)).isEqualTo("Incorrect integer value: '?' for column `t`.`n` at row 1");
	}

}
