package com.example.inventory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's plain-Java example runs as shown, on the versions asyncsql-bom gives, and the README shows this
 * module's dependencies, the example's source and its output as they are.
 */
class PlainJavaExampleTests {

	private static final Pattern ITEMS = Pattern.compile("QueryResult\\[postgresql, 3 rows, columns=\\[id, name, price], "
			+ "rows=\\[\\{id=1, name=item 1, price=2.50}, \\{id=2, name=item 2, price=5.00}, "
			+ "\\{id=3, name=item 3, price=7.50}], elapsed=\\d+ms]");

	private static final String TOTAL = "{items=3, total=15.00}";

	@Test
	void runsAgainstTheTestDatabase() {
		String url = System.getenv("ASYNCSQL_TEST_POSTGRES_URL");
		assertThat(url).as("No PostgreSQL server for the example: set ASYNCSQL_TEST_POSTGRES_URL to an R2DBC URL, "
				+ "for example r2dbc:postgresql://postgres@127.0.0.1:5432/test").isNotBlank();
		List<String> printed = run(url);
		assertThat(printed).hasSize(2);
		assertThat(printed.get(0)).matches(ITEMS);
		assertThat(printed.get(1)).isEqualTo(TOTAL);
	}

	@Test
	void readmeShowsTheExampleAsItIs() throws Exception {
		String readme = Files.readString(Path.of(System.getProperty("readme")), StandardCharsets.UTF_8);
		String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
		String dependencies = between(pom, "<!-- README: dependencies -->\n", "        <!-- README: end -->\n");
		assertThat(readme).as("README shows the dependencies of plain-java-example/pom.xml")
			.contains(dedent(dependencies) + "</dependencies>\n");
		Matcher version = Pattern.compile("<asyncsql.version>[^<]+</asyncsql.version>").matcher(pom);
		assertThat(version.find()).isTrue();
		assertThat(readme).contains("    " + version.group() + "\n");
		String source = Files.readString(Path.of("src/main/java/com/example/inventory/PlainJavaExample.java"),
				StandardCharsets.UTF_8);
		assertThat(readme).as("README shows PlainJavaExample.java").contains("```java\n" + source + "```\n");
		String afterSource = readme.substring(readme.indexOf("```java\n" + source + "```\n") + source.length() + 12);
		String output = between(afterSource, "```\n", "\n```");
		assertThat(output).as("README shows the example's output in the block after its source").contains(TOTAL);
		assertThat(output.lines().filter((line) -> ITEMS.matcher(line).matches())).hasSize(1);
	}

	private static List<String> run(String url) {
		PrintStream original = System.out;
		ByteArrayOutputStream captured = new ByteArrayOutputStream();
		System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
		try {
			PlainJavaExample.main(new String[] { url });
		}
		finally {
			System.setOut(original);
		}
		String printed = captured.toString(StandardCharsets.UTF_8);
		System.out.print(printed); // into the test report, where the README's output comes from
		return printed.lines().toList();
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start);
		assertThat(from).as("'%s' in the text", start.strip()).isNotNegative();
		int to = text.indexOf(end, from + start.length());
		assertThat(to).as("'%s' in the text", end.strip()).isNotNegative();
		return text.substring(from + start.length(), to);
	}

	private static String dedent(String block) {
		return Arrays.stream(block.split("\n", -1))
			.map((line) -> line.startsWith("    ") ? line.substring(4) : line)
			.collect(Collectors.joining("\n"));
	}

}
