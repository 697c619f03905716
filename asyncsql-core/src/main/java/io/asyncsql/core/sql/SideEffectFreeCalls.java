package io.asyncsql.core.sql;

import java.util.Locale;
import java.util.Set;

/**
 * The words that may stand before a parenthesis in a query that cannot change data when it runs twice: SQL
 * keywords that open a parenthesised list or subquery, type names with a length or precision, and built-in
 * functions without side effects on PostgreSQL, MySQL/MariaDB and H2. Any other call, such as a user-defined
 * function or {@code nextval}, may write, so a query that makes one is not retried once it was sent.
 * <p>
 * The lists are deliberately closed: a function missing from them only costs that query the retry after a broken
 * connection, while a writing function wrongly listed could run twice.
 */
final class SideEffectFreeCalls {

	private static final Set<String> KEYWORDS = Set.of("ALL", "AND", "ANY", "ARRAY", "AS", "BETWEEN", "BY", "CASE",
			"DISTINCT", "ELSE", "EXCEPT", "EXISTS", "FILTER", "FROM", "GROUP", "HAVING", "ILIKE", "IN", "INTERSECT",
			"IS", "JOIN", "LATERAL", "LIKE", "LIMIT", "NOT", "OFFSET", "ON", "OR", "ORDER", "OVER", "ROW", "SELECT",
			"SOME", "THEN", "TO", "UNION", "USING", "VALUES", "WHEN", "WHERE", "WITH", "WITHIN");

	private static final Set<String> TYPES = Set.of("BINARY", "BIT", "CHAR", "CHARACTER", "DEC", "DECIMAL", "DOUBLE",
			"FLOAT", "INTERVAL", "NUMERIC", "NUMBER", "PRECISION", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMETZ",
			"VARBINARY", "VARBIT", "VARCHAR", "VARYING");

	private static final Set<String> FUNCTIONS = Set.of(
			// aggregates and window functions
			"ARRAY_AGG", "AVG", "BIT_AND", "BIT_OR", "BOOL_AND", "BOOL_OR", "COUNT", "CUME_DIST", "DENSE_RANK",
			"EVERY", "FIRST_VALUE", "GROUP_CONCAT", "JSON_AGG", "JSON_ARRAYAGG", "JSON_OBJECT_AGG", "JSON_OBJECTAGG",
			"JSONB_AGG", "JSONB_OBJECT_AGG", "LAG", "LAST_VALUE", "LEAD", "LISTAGG", "MAX", "MIN", "MODE", "NTH_VALUE",
			"NTILE", "PERCENT_RANK", "PERCENTILE_CONT", "PERCENTILE_DISC", "RANK", "ROW_NUMBER", "STDDEV",
			"STDDEV_POP", "STDDEV_SAMP", "STRING_AGG", "SUM", "VAR_POP", "VAR_SAMP", "VARIANCE",
			// conditionals and conversions
			"CAST", "COALESCE", "CONVERT", "GREATEST", "IF", "IFNULL", "ISNULL", "LEAST", "NULLIF", "NVL",
			// numbers
			"ABS", "CEIL", "CEILING", "DIV", "EXP", "FLOOR", "LN", "LOG", "LOG10", "MOD", "POW", "POWER", "ROUND",
			"SIGN", "SQRT", "TRUNC", "TRUNCATE", "WIDTH_BUCKET",
			// text
			"BTRIM", "CHAR_LENGTH", "CHARACTER_LENGTH", "CONCAT", "CONCAT_WS", "ENCODE", "DECODE", "FORMAT", "HEX",
			"INITCAP", "INSTR", "LCASE", "LEFT", "LENGTH", "LOCATE", "LOWER", "LPAD", "LTRIM", "MD5", "OCTET_LENGTH",
			"OVERLAY", "POSITION", "REGEXP_LIKE", "REGEXP_MATCH", "REGEXP_MATCHES", "REGEXP_REPLACE", "REPEAT",
			"REPLACE", "REVERSE", "RIGHT", "RPAD", "RTRIM", "SHA1", "SHA2", "SPLIT_PART", "STARTS_WITH", "STRPOS",
			"SUBSTR", "SUBSTRING", "TO_HEX", "TRANSLATE", "TRIM", "UCASE", "UNHEX", "UPPER",
			// dates and times
			"AGE", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATE", "DATE_ADD", "DATE_BIN", "DATE_FORMAT",
			"DATE_PART", "DATE_SUB", "DATE_TRUNC", "DATEADD", "DATEDIFF", "EXTRACT", "FROM_UNIXTIME", "LOCALTIME",
			"LOCALTIMESTAMP", "MAKE_DATE", "MAKE_INTERVAL", "MAKE_TIMESTAMP", "MAKE_TIMESTAMPTZ", "NOW",
			"STR_TO_DATE", "TIMESTAMPDIFF", "TO_CHAR", "TO_DATE", "TO_NUMBER", "TO_TIMESTAMP", "UNIX_TIMESTAMP",
			// arrays
			"ARRAY_APPEND", "ARRAY_CAT", "ARRAY_LENGTH", "ARRAY_POSITION", "ARRAY_PREPEND", "ARRAY_REMOVE",
			"ARRAY_TO_STRING", "CARDINALITY", "GENERATE_SERIES", "STRING_TO_ARRAY", "UNNEST",
			// JSON
			"JSON_ARRAY", "JSON_ARRAY_ELEMENTS", "JSON_ARRAY_ELEMENTS_TEXT", "JSON_ARRAY_LENGTH", "JSON_BUILD_ARRAY",
			"JSON_BUILD_OBJECT", "JSON_CONTAINS", "JSON_EACH", "JSON_EXTRACT", "JSON_EXTRACT_PATH",
			"JSON_EXTRACT_PATH_TEXT", "JSON_LENGTH", "JSON_OBJECT", "JSON_QUERY", "JSON_TYPEOF", "JSON_UNQUOTE",
			"JSON_VALUE", "JSONB_ARRAY_ELEMENTS", "JSONB_ARRAY_ELEMENTS_TEXT", "JSONB_ARRAY_LENGTH",
			"JSONB_BUILD_ARRAY", "JSONB_BUILD_OBJECT", "JSONB_EACH", "JSONB_EACH_TEXT", "JSONB_EXTRACT_PATH",
			"JSONB_EXTRACT_PATH_TEXT", "JSONB_OBJECT_KEYS", "JSONB_PATH_EXISTS", "JSONB_PATH_QUERY",
			"JSONB_PATH_QUERY_ARRAY", "JSONB_PATH_QUERY_FIRST", "JSONB_SET", "JSONB_STRIP_NULLS", "JSONB_TYPEOF",
			"ROW_TO_JSON", "TO_JSON", "TO_JSONB",
			// values that differ per call but change nothing
			"CURRENT_SETTING", "GEN_RANDOM_UUID", "PG_SLEEP", "RANDOM", "RAND", "SLEEP", "UUID", "VERSION");

	private SideEffectFreeCalls() {
	}

	/**
	 * Whether a word followed by {@code (} is known not to write.
	 * @param word the word as written
	 * @return {@code true} for a keyword, a type name or a side-effect-free built-in function
	 */
	static boolean contains(String word) {
		String upper = word.toUpperCase(Locale.ROOT);
		return KEYWORDS.contains(upper) || TYPES.contains(upper) || FUNCTIONS.contains(upper);
	}

}
