package io.asyncsql.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/configuration.md} lists every property of the configuration metadata as it is now. When a property
 * is added or its javadoc changes, this test fails and names the command that regenerates the page
 * ({@code -Dasyncsql.docs.write=true} makes this test write it instead of comparing).
 */
class ConfigurationReferenceTests {

	private static final Path DOCUMENT = Path.of("..", "docs", "configuration.md");

	private static final Path SOURCES = Path.of("src", "main", "java");

	@Test
	void documentMatchesTheConfigurationMetadata() throws Exception {
		String rendered = ConfigurationReference.fromBuild(SOURCES).render();
		if (Boolean.getBoolean("asyncsql.docs.write")) {
			Files.writeString(DOCUMENT, rendered, StandardCharsets.UTF_8);
		}
		String committed = Files.exists(DOCUMENT) ? Files.readString(DOCUMENT, StandardCharsets.UTF_8) : "";
		assertThat(committed)
			.as("docs/configuration.md is out of date with the configuration metadata. Regenerate it from the "
					+ "repository root with:%n  %s%n", ConfigurationReference.REGENERATE)
			.isEqualTo(rendered);
	}

	@Test
	void everyKeyHasATypeADefaultColumnAndAMeaning() throws Exception {
		Map<String, List<ConfigurationReference.Row>> sections = ConfigurationReference.fromBuild(SOURCES).sections();
		List<ConfigurationReference.Row> rows = sections.values().stream().flatMap(List::stream).toList();
		assertThat(rows).allSatisfy((row) -> {
			assertThat(row.type()).as(row.name()).isNotBlank();
			assertThat(row.defaultValue()).as(row.name()).isNotBlank();
			assertThat(row.meaning()).as(row.name()).isNotBlank().doesNotContain("{@");
		});
		assertThat(sections).containsKeys("asyncsql", "asyncsql.defaults", "asyncsql.nodes.<name>", "asyncsql.locking");
		assertThat(sections.get("asyncsql.nodes.<name>")).extracting(ConfigurationReference.Row::name)
			.contains("asyncsql.nodes.<name>.database-type", "asyncsql.nodes.<name>.host",
					"asyncsql.nodes.<name>.password", "asyncsql.nodes.<name>.primary", "asyncsql.nodes.<name>.ssl-mode");
		assertThat(rows).filteredOn((row) -> row.name().equals("asyncsql.defaults.timeout")).singleElement()
			.satisfies((row) -> {
				assertThat(row.type()).isEqualTo("duration");
				assertThat(row.defaultValue()).isEqualTo("`30s`");
				assertThat(row.meaning()).doesNotContain("Default:");
			});
		assertThat(rows).filteredOn((row) -> row.name().equals("asyncsql.nodes.<name>.ssl-mode")).singleElement()
			.satisfies((row) -> assertThat(row.type()).startsWith("`disable` \\| `allow`"));
	}

}
