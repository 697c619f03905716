package io.asyncsql.core.dialect;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL type names a configured type hint may use: the built-in types and their SQL spellings, or any
 * schema-qualified name (for custom types such as enums, {@code public.order_status}). Configuration is checked
 * against this list at startup, so a misspelt hint ({@code jsonbb}) fails before the first query.
 */
public final class PostgresTypeNames {

	// name, optional (n[,m]) modifier, optional array brackets
	private static final Pattern SHAPE = Pattern.compile("(?<name>[A-Za-z_][A-Za-z0-9_ .]*?)\\s*(?:\\(\\d+(?:,\\s*\\d+)?\\))?"
			+ "(?<tail> with(?:out)? time zone)?(?:\\[\\d*\\])*");

	private static final Set<String> BUILT_IN = Set.of("smallint", "int2", "integer", "int", "int4", "bigint", "int8",
			"numeric", "decimal", "real", "float4", "double precision", "float8", "float", "money", "smallserial",
			"serial", "bigserial", "text", "varchar", "character varying", "char", "character", "bpchar", "name",
			"citext", "bytea", "boolean", "bool", "date", "time", "timetz", "time with time zone",
			"time without time zone", "timestamp", "timestamptz", "timestamp with time zone",
			"timestamp without time zone", "interval", "uuid", "json", "jsonb", "jsonpath", "xml", "inet", "cidr",
			"macaddr", "macaddr8", "bit", "varbit", "bit varying", "point", "line", "lseg", "box", "path", "polygon",
			"circle", "tsvector", "tsquery", "oid", "regclass", "regtype", "regproc", "int4range", "int8range",
			"numrange", "tsrange", "tstzrange", "daterange", "int4multirange", "int8multirange", "nummultirange",
			"tsmultirange", "tstzmultirange", "datemultirange", "hstore", "ltree", "vector", "record", "void",
			"unknown", "anyelement");

	private PostgresTypeNames() {
	}

	/**
	 * Whether a hint names a known PostgreSQL type (or a schema-qualified custom type).
	 * @param hint the hint, for example {@code numeric(10,2)[]} or {@code timestamp with time zone}
	 * @return {@code true} when it does
	 */
	public static boolean isKnown(String hint) {
		Matcher matcher = SHAPE.matcher(hint.trim());
		if (!matcher.matches()) {
			return false;
		}
		String name = matcher.group("name").trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
		if (matcher.group("tail") != null) {
			name = name + matcher.group("tail").toLowerCase(Locale.ROOT);
		}
		if (name.indexOf('.') > 0) {
			return name.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
		}
		return BUILT_IN.contains(name);
	}

}
