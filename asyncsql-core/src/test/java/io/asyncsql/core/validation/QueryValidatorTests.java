package io.asyncsql.core.validation;

import io.asyncsql.core.sql.SqlLexer;
import io.asyncsql.core.sql.SqlSyntax;
import io.asyncsql.core.sql.SqlTemplate;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class QueryValidatorTests {

	private final SqlLexer lexer = new SqlLexer(SqlSyntax.POSTGRESQL);

	private SqlTemplate parse(String sql) {
		return SqlTemplate.parse(sql, this.lexer);
	}

	@Test
	void verdictsAreCachedSeparatelyPerAllowAdminSetting() {
		QueryValidator validator = new QueryValidator(ValidationKeywords.POSTGRESQL, 16);
		SqlTemplate ddl = parse("CREATE INDEX users_name ON users (name)");
		assertThat(validator.validate(ddl, true)).isNull();
		Violation refused = validator.validate(ddl, false);
		assertThat(refused.rule()).isEqualTo(ValidationRule.ADMIN_STATEMENT);
		assertThat(validator.validate(ddl, false)).isSameAs(refused);
		assertThat(validator.validate(ddl, true)).isNull();
	}

	@Test
	void theCacheStaysBounded() {
		QueryValidator validator = new QueryValidator(ValidationKeywords.POSTGRESQL, 8);
		Violation first = validator.validate(parse("DROP TABLE t0"), false);
		for (int i = 1; i < 100; i++) {
			assertThat(validator.validate(parse("DROP TABLE t" + i), false).rule())
				.isEqualTo(ValidationRule.ADMIN_STATEMENT);
		}
		// evicted long ago: computed again, equal but not the same instance
		Violation again = validator.validate(parse("DROP TABLE t0"), false);
		assertThat(again).isEqualTo(first).isNotSameAs(first);
	}

	@Test
	void customKeywordsExtendWhatIsRefused() {
		ValidationKeywords keywords = ValidationKeywords.builder()
			.adminStatements("purge")
			.dangerousFunctions("slow_report")
			.dangerousFunctionPrefixes("unsafe_")
			.transactionStatements("commit")
			.build();
		QueryValidator validator = new QueryValidator(keywords, 16);
		assertThat(validator.keywords()).isSameAs(keywords);
		assertThat(validator.check(parse("SELECT slow_report(:day)"), true).rule())
			.isEqualTo(ValidationRule.DANGEROUS_FUNCTION);
		assertThat(validator.check(parse("SELECT Unsafe_Copy(1)"), true).detail()).isEqualTo("function unsafe_copy");
		assertThat(validator.check(parse("purge old_rows"), false).rule()).isEqualTo(ValidationRule.ADMIN_STATEMENT);
		assertThat(validator.check(parse("purge old_rows"), true)).isNull();
		assertThat(validator.check(parse("DROP TABLE t"), false)).isNull();
		assertThat(keywords.adminStatements()).containsExactly("PURGE");
	}

	@Test
	void keywordsAreImmutable() {
		assertThat(ValidationKeywords.POSTGRESQL.adminStatements()).isUnmodifiable();
		assertThat(ValidationKeywords.MYSQL.dangerousPhrases()).isUnmodifiable();
		assertThat(ValidationKeywords.H2.dangerousStatements().get(0)).isUnmodifiable();
	}

	@Test
	void aCacheNeedsRoom() {
		assertThatIllegalArgumentException().isThrownBy(() -> new QueryValidator(ValidationKeywords.POSTGRESQL, 0))
			.withMessageContaining("capacity");
	}

	@Test
	void emptyTextsPass() {
		QueryValidator validator = new QueryValidator(ValidationKeywords.POSTGRESQL, 16);
		for (String sql : new String[] { "", "   ", "-- nothing", "/* nothing */", ";", "; ;" }) {
			assertThat(validator.check(parse(sql), false)).as(sql).isNull();
		}
	}

	@Test
	void ruleIdsAreStable() {
		assertThat(ValidationRule.values()).extracting(ValidationRule::id).containsExactly("multiple_statements",
				"unterminated_literal", "transaction_control", "admin_statement", "dangerous_function", "lexical_setting",
				"injection_tautology", "obfuscated_keyword", "sql_too_long", "nul_character",
				"session_state");
		assertThat(ValidationRule.ADMIN_STATEMENT.allowedBy()).isEqualTo("allow-admin: true");
		assertThat(ValidationRule.DANGEROUS_FUNCTION.allowedBy()).isNull();
	}

}
