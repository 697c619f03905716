package io.asyncsql.autoconfigure.stack;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's {@code @DataR2dbcTest} slice gets the nodes: the slice's repositories and the node run on the same
 * pool, and the slice's SQL initialization runs on it.
 */
@DataR2dbcTest(properties = { "asyncsql.nodes.main.database-type=h2", "asyncsql.nodes.main.database=slice",
		"spring.sql.init.schema-locations=classpath:stack/schema.sql",
		"spring.sql.init.data-locations=classpath:stack/data.sql" })
class DataR2dbcSliceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private AsyncSqlNode node;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Autowired
	private LibraryBookRepository books;

	@Test
	void theSliceRunsOnTheNodesPool() {
		assertThat(this.connectionFactory).isSameAs(this.node.pool().connectionFactory());
		this.books.save(new LibraryBook(null, "Persuasion")).block(WAIT);
		assertThat(this.node.execute("SELECT count(*) AS n FROM library_book", Map.of())
			.map(result -> result.one().get("n")).block(WAIT)).isEqualTo(2L);
		assertThat(this.books.findByTitle("Dune").count().block(WAIT)).isEqualTo(1L);
	}

}
