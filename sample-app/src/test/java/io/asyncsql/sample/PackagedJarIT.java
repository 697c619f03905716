package io.asyncsql.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsql.sample.ledger.Account;
import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestDatabase;
import io.asyncsql.test.TestDatabases;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's run command: the packaged jar started with {@code java -jar} as its own process prints its URL,
 * reports UP, answers, and stops cleanly on SIGTERM; on embedded H2 with no setup at all, and on PostgreSQL
 * configured only through the environment variables the README documents. Runs after {@code package}, so it tests
 * the artifact users get.
 */
class PackagedJarIT {

	// a loaded two-core machine can take long to start a JVM; every wait is still bounded
	private static final Duration STARTUP = Duration.ofMinutes(3);

	private static final Duration SHUTDOWN = Duration.ofSeconds(60);

	private static final Pattern READY = Pattern.compile("Funds-transfer service ready at (http://\\S+)");

	@Test
	void theReadmeCommandStartsTheServiceOnEmbeddedH2WhichAnswersAndStops() throws Exception {
		// exactly the README's command: no profile, no environment, no database to install
		runAndCheck(Map.of(), List.of(), "From the jar", null);
	}

	@Test
	void thePostgresProfileIsConfiguredThroughTheDocumentedEnvironmentVariables() throws Exception {
		try (PostgresSchema schema = PostgresSchema.create("sample_jar")) {
			TestDatabase database = TestDatabases.postgres();
			Map<String, String> environment = Map.of("POSTGRES_HOST", database.host(), "POSTGRES_PORT",
					String.valueOf(database.port()), "POSTGRES_DB", database.database(), "POSTGRES_USER",
					database.username(), "POSTGRES_PASSWORD", (database.password() != null) ? database.password() : "",
					"POSTGRES_SCHEMA", schema.name());
			runAndCheck(environment, List.of("--spring.profiles.active=postgres"), "From the jar on PostgreSQL",
					id -> assertThat(schema.scalar("SELECT owner FROM accounts WHERE id = " + id))
						.isEqualTo("From the jar on PostgreSQL"));
		}
	}

	private void runAndCheck(Map<String, String> environment, List<String> arguments, String owner,
			java.util.function.LongConsumer storedCheck) throws Exception {
		Path jar = Path.of(System.getProperty("sample.jar", "target/asyncsql-sample-app.jar"));
		assertThat(jar).as("the packaged jar (run mvn package first)").isRegularFile();
		Path log = jar.resolveSibling("sample-app-it.log");
		Files.deleteIfExists(log);
		Process process = start(jar, environment, arguments);
		List<String> output = new CopyOnWriteArrayList<>();
		Thread reader = collect(process, output, log);
		try {
			String url = await().atMost(STARTUP).until(() -> readyUrl(output, process), value -> value != null);
			WebTestClient http = WebTestClient.bindToServer().baseUrl(url).responseTimeout(Duration.ofSeconds(30))
				.build();
			await().atMost(STARTUP).untilAsserted(() -> http.get().uri("/actuator/health").exchange()
				.expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP"));
			Account opened = http.post().uri("/accounts").bodyValue(Map.of("owner", owner)).exchange()
				.expectStatus().isCreated().expectBody(Account.class).returnResult().getResponseBody();
			http.get().uri("/accounts/{id}", opened.id()).exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.owner").isEqualTo(owner);
			if (storedCheck != null) {
				storedCheck.accept(opened.id());
			}
		}
		finally {
			// SIGTERM, as Ctrl+C or a container stop would send; Process.destroy() would also close its output
			process.toHandle().destroy();
			if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
				process.toHandle().destroyForcibly();
			}
			reader.join(SHUTDOWN.toMillis());
		}
		assertThat(process.isAlive()).isFalse();
		assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
		assertThat(output).anySatisfy(line -> assertThat(line).contains("Graceful shutdown complete"));
		assertThat(output).noneSatisfy(line -> assertThat(line).contains("APPLICATION FAILED TO START"));
	}

	private static Process start(Path jar, Map<String, String> environment, List<String> arguments) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", jar.toString(),
				"--server.port=0"));
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		return builder.start();
	}

	// keeps the output for assertions and in a file for whoever reads the build
	private static Thread collect(Process process, List<String> output, Path log) {
		Thread thread = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					output.add(line);
					Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
							StandardOpenOption.APPEND);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, "sample-app-output");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static String readyUrl(List<String> output, Process process) {
		for (String line : output) {
			Matcher matcher = READY.matcher(line);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		assertThat(process.isAlive()).as("the service process exited early:%n%s", String.join("\n", output)).isTrue();
		return null;
	}

}
