package io.asyncsql.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata IDEs complete {@code asyncsql.*} from: every property described, enum values hinted.
 */
class ConfigurationMetadataTests {

	private static JsonNode read(String path) throws Exception {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return JsonMapper.builder().build().readTree(in);
		}
	}

	@Test
	void everyPropertyHasADescription() throws Exception {
		JsonNode metadata = read("META-INF/spring-configuration-metadata.json");
		List<String> undescribed = new ArrayList<>();
		List<String> names = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			names.add(name);
			if (!property.has("description") || property.get("description").asString().isBlank()) {
				undescribed.add(name);
			}
		}
		assertThat(undescribed).isEmpty();
		assertThat(names).contains("asyncsql.enabled", "asyncsql.nodes", "asyncsql.defaults.transaction-mode",
				"asyncsql.defaults.retry.max-retries", "asyncsql.defaults.pool.max-acquire-time",
				"asyncsql.locking.default-conflict-resolution", "asyncsql.locking.conflict-history-size");
	}

	@Test
	void enumSettingsHaveValueHints() throws Exception {
		JsonNode additional = read("META-INF/additional-spring-configuration-metadata.json");
		List<String> hinted = new ArrayList<>();
		for (JsonNode hint : additional.get("hints")) {
			hinted.add(hint.get("name").asString());
			assertThat(hint.get("values")).isNotEmpty();
		}
		assertThat(hinted).contains("asyncsql.defaults.transaction-mode", "asyncsql.nodes.values.database-type",
				"asyncsql.nodes.values.ssl-mode", "asyncsql.nodes.values.pooler", "asyncsql.nodes.values.read-routing", "asyncsql.locking.default-conflict-resolution");
	}

}
