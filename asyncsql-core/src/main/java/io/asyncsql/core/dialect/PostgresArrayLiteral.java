package io.asyncsql.core.dialect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.core.sql.ParameterBinder;

/**
 * Writes a Java collection as a PostgreSQL array literal ({@code {1,2,NULL}}, {@code {"a b","c\"d"}}). Bound as
 * text of unspecified type, the server reads it as the array type the statement needs ({@code bigint[]} in
 * {@code id = ANY($1)}, {@code text[]} for a {@code text[]} column), which also makes empty lists work. Elements
 * are numbers, booleans, strings, UUIDs, {@code java.time} values, enums (their name), byte arrays, JSON values
 * (maps and trees, as their JSON text) and nested collections; any other element type is refused.
 */
final class PostgresArrayLiteral {

	private PostgresArrayLiteral() {
	}

	static String of(List<?> elements, JsonCodec json) {
		StringBuilder literal = new StringBuilder(2 + elements.size() * 8);
		append(literal, elements, json);
		return literal.toString();
	}

	private static void append(StringBuilder literal, List<?> elements, JsonCodec json) {
		literal.append('{');
		for (int i = 0; i < elements.size(); i++) {
			if (i > 0) {
				literal.append(',');
			}
			appendElement(literal, elements.get(i), json);
		}
		literal.append('}');
	}

	private static void appendElement(StringBuilder literal, Object element, JsonCodec json) {
		if (element == null) {
			literal.append("NULL");
		}
		else if (ParameterBinder.isCollection(element)) {
			append(literal, ParameterBinder.elements(element), json);
		}
		else if (element instanceof BigDecimal decimal) {
			literal.append(decimal.toPlainString());
		}
		else if (element instanceof Double || element instanceof Float) {
			double value = ((Number) element).doubleValue();
			literal.append(Double.isNaN(value) ? "NaN" : Double.isInfinite(value) ? (value > 0 ? "Infinity" : "-Infinity")
					: element.toString());
		}
		else if (element instanceof Integer || element instanceof Long || element instanceof Short
				|| element instanceof Byte || element instanceof BigInteger || element instanceof Boolean) {
			literal.append(element);
		}
		else if (element instanceof byte[] bytes) {
			quoted(literal, "\\x" + HexFormat.of().formatHex(bytes));
		}
		else if (element instanceof ByteBuffer buffer) {
			byte[] bytes = new byte[buffer.remaining()];
			buffer.duplicate().get(bytes);
			quoted(literal, "\\x" + HexFormat.of().formatHex(bytes));
		}
		else if (element instanceof Enum<?> constant) {
			quoted(literal, constant.name());
		}
		else if (element instanceof Map<?, ?> || json.isTree(element)) {
			quoted(literal, json.write(element));
		}
		else {
			// strings, UUIDs, java.time values, addresses; anything else is refused rather than written as toString()
			quoted(literal, PostgresValues.text(element));
		}
	}

	private static void quoted(StringBuilder literal, String text) {
		literal.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				literal.append('\\');
			}
			literal.append(c);
		}
		literal.append('"');
	}

}
