package io.asyncsql.core.params;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.core.Query;
import io.asyncsql.core.json.Jackson2JsonCodec;
import io.asyncsql.core.json.Jackson3JsonCodec;
import io.asyncsql.core.json.JsonCodec;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JSON parameters go through the application's own Jackson mapper, whichever Jackson generation it uses, and trees
 * of the other generation still bind; without any JSON library JSON stays text.
 */
class JsonCodecBindingTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static PostgresSchema schema;

	private static AsyncSqlNode jackson3;

	private static AsyncSqlNode jackson2;

	private static AsyncSqlNode noJson;

	record Visit(String userAgent, int pageCount) {
	}

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("json");
		schema.sql("CREATE TABLE events (id bigserial PRIMARY KEY, data jsonb, raw json, datas jsonb[])");
		// the application's mappers write snake_case, so what lands in the column shows whose mapper was used
		jackson3 = AsyncSqlNode.builder(schema.node("json3").build())
			.jsonCodec(new Jackson3JsonCodec(JsonMapper.builder()
				.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
				.build()))
			.build();
		jackson2 = AsyncSqlNode.builder(schema.node("json2").build())
			.jsonCodec(new Jackson2JsonCodec(new com.fasterxml.jackson.databind.ObjectMapper()
				.setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)))
			.build();
		noJson = AsyncSqlNode.builder(schema.node("nojson").build()).jsonCodec(JsonCodec.NONE).build();
	}

	@AfterAll
	static void dropSchema() {
		jackson3.close();
		jackson2.close();
		noJson.close();
		schema.close();
	}

	@BeforeEach
	void truncate() {
		schema.sql("TRUNCATE events");
	}

	private static Object insertHinted(AsyncSqlNode node, Object value) {
		return node.execute(Query.of("INSERT INTO events (data) VALUES (:data) RETURNING data").param("data", value)
			.parameterTypes(Map.of("data", "jsonb"))).block(WAIT).one().get("data");
	}

	@Test
	void recordsAreWrittenWithTheApplicationsJackson3Mapper() {
		assertThat(insertHinted(jackson3, new Visit("Chrome/91.0", 3)))
			.isEqualTo(Map.of("user_agent", "Chrome/91.0", "page_count", 3));
	}

	@Test
	void recordsAreWrittenWithTheApplicationsJackson2Mapper() {
		assertThat(insertHinted(jackson2, new Visit("Firefox", 1))).isEqualTo(Map.of("user_agent", "Firefox", "page_count", 1));
	}

	@Test
	void treesOfBothGenerationsBindWithEitherCodec() {
		tools.jackson.databind.node.ObjectNode tree3 = JsonMapper.builder().build().createObjectNode().put("gen", 3);
		com.fasterxml.jackson.databind.node.ObjectNode tree2 = new com.fasterxml.jackson.databind.ObjectMapper()
			.createObjectNode()
			.put("gen", 2);
		for (AsyncSqlNode node : List.of(jackson3, jackson2)) {
			for (Object tree : List.of(tree3, tree2)) {
				Object unhinted = node.execute("INSERT INTO events (data) VALUES (:data) RETURNING data",
						Map.of("data", tree)).block(WAIT).one().get("data");
				assertThat(unhinted).as(node.name() + " " + tree.getClass().getName()).isEqualTo(Map.of("gen",
						(tree == tree3) ? 3 : 2));
				assertThat(insertHinted(node, tree)).isEqualTo(unhinted);
			}
		}
	}

	@Test
	void listOfMapsIntoJsonbArrayColumn() {
		jackson3.execute("INSERT INTO events (datas) VALUES (:datas)",
				Map.of("datas", List.of(Map.of("a", 1), Map.of("b", List.of("x", "y"))))).block(WAIT);
		assertThat(schema.query("SELECT cardinality(datas), datas[1]->>'a', datas[2]->'b'->>1 FROM events"))
			.containsExactly(List.of(2, "1", "y"));
	}

	@Test
	void withoutAJsonLibraryJsonColumnsReadAsTextAndJsonTextStillBinds() {
		noJson.execute(Query.of("INSERT INTO events (data, raw) VALUES (:data, :raw)")
			.params(Map.of("data", "{\"a\": [1, 2]}", "raw", "{\"b\":true}"))
			.parameterTypes(Map.of("data", "jsonb", "raw", "json"))).block(WAIT);
		Map<String, Object> row = noJson.execute("SELECT data, raw FROM events").block(WAIT).one();
		assertThat(row).containsEntry("data", "{\"a\": [1, 2]}").containsEntry("raw", "{\"b\":true}");
	}

	@Test
	void withoutAJsonLibraryMapsAreRefusedSayingWhatToAdd() {
		assertThatThrownBy(() -> noJson.execute("INSERT INTO events (data) VALUES (:data)", Map.of("data", Map.of("a", 1)))
			.block(WAIT))
			.isInstanceOfSatisfying(ParameterBindingException.class, ex -> {
				assertThat(ex.parameter()).isEqualTo("data");
				assertThat(ex.getMessage()).contains("':data'").contains("jackson-databind");
			});
		assertThat(schema.scalar("SELECT count(*) FROM events")).isEqualTo(0L);
	}

}
