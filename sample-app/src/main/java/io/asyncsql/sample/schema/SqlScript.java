package io.asyncsql.sample.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.Resource;

/**
 * The statements of a schema script. Nodes run one statement per call, so the script is split: a statement ends
 * with a {@code ;} at the end of a line, and whole-line {@code --} comments are dropped. The ledger's scripts keep
 * to that form (no {@code ;} at a line end inside a literal or a function body).
 *
 * @param statements the statements, without their terminating {@code ;}
 */
record SqlScript(List<String> statements) {

	static SqlScript read(Resource resource) {
		try {
			return parse(resource.getContentAsString(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the schema script " + resource.getDescription(), ex);
		}
	}

	static SqlScript parse(String script) {
		List<String> statements = new ArrayList<>();
		StringBuilder statement = new StringBuilder();
		for (String line : script.split("\\R")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("--")) {
				continue;
			}
			statement.append((statement.length() > 0) ? "\n" : "").append(line.stripTrailing());
			if (trimmed.endsWith(";")) {
				statement.setLength(statement.length() - 1);
				statements.add(statement.toString().strip());
				statement.setLength(0);
			}
		}
		if (!statement.toString().isBlank()) {
			statements.add(statement.toString().strip());
		}
		return new SqlScript(List.copyOf(statements));
	}

}
