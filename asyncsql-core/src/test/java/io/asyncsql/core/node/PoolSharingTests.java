package io.asyncsql.core.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.pool.ConnectionPools;
import io.asyncsql.core.pool.SharedPool;
import io.asyncsql.test.PostgresSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolSharingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static PostgresSchema schema;

	@BeforeAll
	static void createSchema() {
		schema = PostgresSchema.create("pools");
		schema.sql("CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items VALUES (1), (2)");
	}

	@AfterAll
	static void dropSchema() {
		schema.close();
	}

	@Test
	void nodesWithEqualSettingsShareOnePoolAndClosingOneKeepsTheOtherWorking() {
		ConnectionPools pools = new ConnectionPools();
		AsyncSqlNodes nodes = AsyncSqlNodes.create(List.of(schema.node("data_reader").build(),
				schema.node("data_writer").build()), pools, builder -> builder);
		AsyncSqlNode reader = nodes.node("data_reader");
		AsyncSqlNode writer = nodes.node("data_writer");
		SharedPool pool = reader.pool();
		assertThat(writer.pool()).isSameAs(pool);
		assertThat(pool.connectionFactory()).isSameAs(writer.pool().connectionFactory());
		assertThat(pool.nodeNames()).containsExactlyInAnyOrder("data_reader", "data_writer");
		assertThat(pools.pools()).hasSize(1);

		writer.close();
		assertThat(pool.nodeNames()).containsExactly("data_reader");
		assertThat(pool.connectionFactory().isDisposed()).isFalse();
		assertThat(reader.execute("SELECT count(*) AS n FROM items").block(WAIT).one()).containsEntry("n", 2L);
		assertThatThrownBy(() -> writer.execute("SELECT 1").block(WAIT)).hasMessageContaining("closed");

		reader.close();
		assertThat(pool.connectionFactory().isDisposed()).isTrue();
		assertThat(pools.pools()).isEmpty();
		nodes.close();
	}

	@Test
	void shareFalseOrDifferentSettingsGiveSeparatePools() {
		try (ConnectionPools pools = new ConnectionPools()) {
			AsyncSqlNodes nodes = AsyncSqlNodes.create(List.of(schema.node("a").build(),
					schema.node("b").sharePool(false).build(),
					schema.node("c").pool(PoolSettings.builder().maxSize(7).build()).build(),
					schema.node("d").connection(schema.database().connection(Map.of("search_path", "public"))).build(),
					schema.node("e").build()), pools, builder -> builder);
			assertThat(nodes.node("b").pool()).isNotSameAs(nodes.node("a").pool());
			assertThat(nodes.node("c").pool()).isNotSameAs(nodes.node("a").pool());
			assertThat(nodes.node("d").pool()).isNotSameAs(nodes.node("a").pool());
			assertThat(nodes.node("e").pool()).isSameAs(nodes.node("a").pool());
			assertThat(pools.pools()).hasSize(4);
			assertThat(nodes.names()).containsExactly("a", "b", "c", "d", "e");
			assertThat(nodes.all()).hasSize(5);
			for (AsyncSqlNode node : nodes.all()) {
				assertThat(node.ping().block(WAIT)).isPositive();
			}
			assertThatThrownBy(() -> nodes.node("missing")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("[a, b, c, d, e]");
			nodes.close();
			assertThat(pools.pools()).isEmpty();
		}
	}

	@Test
	void poolTargetNeverShowsThePassword() {
		NodeSettings settings = schema.node("secretive")
			.connection(schema.database().connection(Map.of()).withCredentials("app_user", "s3cr3t-pw"))
			.build();
		try (ConnectionPools pools = new ConnectionPools()) {
			SharedPool pool = pools.lease(settings, s -> io.r2dbc.spi.ConnectionFactories.get(schema.database().url()));
			assertThat(pool.target()).contains("app_user@").doesNotContain("s3cr3t-pw");
			assertThat(pool.toString()).doesNotContain("s3cr3t-pw");
			assertThat(settings.toString()).doesNotContain("s3cr3t-pw");
			assertThat(settings.connection().toString()).doesNotContain("s3cr3t-pw");
		}
	}

	@Test
	void duplicateNodeNamesAreRefused() {
		assertThatThrownBy(() -> AsyncSqlNodes.create(List.of(schema.node("same").build(), schema.node("same").build()),
				new ConnectionPools(), builder -> builder))
			.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'same'");
	}

}
