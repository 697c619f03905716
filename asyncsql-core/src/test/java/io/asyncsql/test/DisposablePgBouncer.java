package io.asyncsql.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A PgBouncer of its own in front of a PostgreSQL server, in {@code pool_mode = transaction} with
 * {@code default_pool_size = 2}, listening on a free port of 127.0.0.1. Each database alias it serves maps to a
 * database of the server, optionally with a {@code connect_query} run once on every new server session (how
 * PgBouncer users give sessions a {@code search_path} or a {@code lock_timeout}). {@link #close()} stops it and
 * deletes its directory (a shutdown hook does the same if a test run is killed first).
 * <p>
 * The binary comes from {@code ASYNCSQL_TEST_PGBOUNCER}, else {@code /usr/sbin/pgbouncer}, else the {@code PATH};
 * when it is missing, starting fails with a message that says what to install; the tests are not skipped.
 * PgBouncer refuses to run as root, so as root it runs as the {@code postgres} operating-system user.
 * Like every PgBouncer in front of Java drivers it ignores the {@code extra_float_digits} startup parameter.
 */
public final class DisposablePgBouncer implements AutoCloseable {

	/** The environment variable that may name the pgbouncer binary. */
	public static final String BINARY = "ASYNCSQL_TEST_PGBOUNCER";

	/** Server sessions per database and user: small, so that clients share sessions all the time. */
	public static final int POOL_SIZE = 2;

	private static final Duration START_WAIT = Duration.ofSeconds(30);

	private final Path directory;

	private final int port;

	private final Process process;

	private final Thread cleanup;

	private boolean closed;

	private DisposablePgBouncer(Path directory, int port, Process process) {
		this.directory = directory;
		this.port = port;
		this.process = process;
		this.cleanup = new Thread(this::stopAndDelete, "disposable-pgbouncer-" + port);
	}

	/**
	 * Starts PgBouncer in front of a server, waiting until it accepts connections.
	 * @param server the server
	 * @param aliases database alias → {@link Alias}
	 * @return the running PgBouncer; close it to stop it
	 * @throws IllegalStateException when pgbouncer is not installed or does not come up (the message has its log)
	 */
	public static DisposablePgBouncer start(TestDatabase server, Map<String, Alias> aliases) {
		String binary = binary();
		Path directory;
		try {
			directory = Files.createTempDirectory("asyncsql-pgbouncer-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not create a temporary directory", ex);
		}
		int port = DisposablePostgres.freePort();
		boolean asPostgresUser = "root".equals(System.getProperty("user.name"));
		try {
			writeConfiguration(directory, port, server, aliases);
			if (asPostgresUser) {
				giveToPostgres(directory);
			}
			List<String> command = new ArrayList<>();
			if (asPostgresUser) {
				command.addAll(List.of("runuser", "-u", "postgres", "--"));
			}
			command.addAll(List.of(binary, directory.resolve("pgbouncer.ini").toString()));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(directory.resolve("stdout.log").toFile())
				.start();
			DisposablePgBouncer bouncer = new DisposablePgBouncer(directory, port, process);
			Runtime.getRuntime().addShutdownHook(bouncer.cleanup);
			try {
				await().atMost(START_WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
					if (!process.isAlive()) {
						throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n"
								+ bouncer.log());
					}
					return accepts(port);
				});
			}
			catch (RuntimeException ex) {
				bouncer.close();
				throw new IllegalStateException("pgbouncer did not start on port " + port + ": " + ex.getMessage()
						+ "\n" + bouncer.log(), ex);
			}
			return bouncer;
		}
		catch (IOException ex) {
			DisposablePostgres.deleteTree(directory);
			throw new UncheckedIOException("could not start " + binary, ex);
		}
	}

	/** @return the port PgBouncer listens on (127.0.0.1 only) */
	public int port() {
		return this.port;
	}

	/** @return what PgBouncer logged so far */
	public String log() {
		StringBuilder text = new StringBuilder();
		for (String name : List.of("stdout.log", "pgbouncer.log")) {
			Path file = this.directory.resolve(name);
			try {
				if (Files.exists(file)) {
					text.append(Files.readString(file, StandardCharsets.UTF_8));
				}
			}
			catch (IOException ex) {
				text.append("(cannot read ").append(file).append(": ").append(ex.getMessage()).append(")\n");
			}
		}
		return text.toString();
	}

	/** Stops PgBouncer and deletes its directory. Idempotent. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			Runtime.getRuntime().removeShutdownHook(this.cleanup);
		}
		catch (IllegalStateException ex) {
			// already shutting down: the hook runs anyway
		}
		stopAndDelete();
	}

	private void stopAndDelete() {
		try {
			// runuser does not always pass signals on: stop pgbouncer itself by the pid it wrote
			pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroy);
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				pid().flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			DisposablePostgres.deleteTree(this.directory);
		}
	}

	private Optional<Long> pid() {
		try {
			Path file = this.directory.resolve("pgbouncer.pid");
			return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static void writeConfiguration(Path directory, int port, TestDatabase server, Map<String, Alias> aliases)
			throws IOException {
		StringBuilder ini = new StringBuilder("[databases]\n");
		aliases.forEach((alias, target) -> {
			ini.append(alias).append(" = host=").append(server.host()).append(" port=").append(server.port())
				.append(" dbname=").append(target.database()).append(" user=").append(server.username());
			if (server.password() != null) {
				ini.append(" password=").append(server.password());
			}
			if (target.connectQuery() != null) {
				ini.append(" connect_query='").append(target.connectQuery().replace("'", "''")).append('\'');
			}
			ini.append('\n');
		});
		ini.append("""
				[pgbouncer]
				listen_addr = 127.0.0.1
				listen_port = %d
				unix_socket_dir =
				auth_type = trust
				auth_file = %s
				pool_mode = transaction
				default_pool_size = %d
				max_client_conn = 500
				ignore_startup_parameters = extra_float_digits
				logfile = %s
				pidfile = %s
				log_connections = 0
				log_disconnections = 0
				""".formatted(port, directory.resolve("users.txt"), POOL_SIZE, directory.resolve("pgbouncer.log"),
				directory.resolve("pgbouncer.pid")));
		Files.writeString(directory.resolve("pgbouncer.ini"), ini.toString());
		Files.writeString(directory.resolve("users.txt"), "\"" + server.username() + "\" \"\"\n");
	}

	private static void giveToPostgres(Path directory) throws IOException {
		UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.toList()) {
				Files.setOwner(path, users.lookupPrincipalByName("postgres"));
			}
		}
	}

	private static String binary() {
		String configured = System.getenv(BINARY);
		if (configured != null && !configured.isBlank()) {
			if (Files.isExecutable(Path.of(configured.trim()))) {
				return configured.trim();
			}
			throw new IllegalStateException(BINARY + "=" + configured + " is not an executable pgbouncer");
		}
		List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer")));
		String path = System.getenv("PATH");
		if (path != null) {
			for (String entry : path.split(":")) {
				if (!entry.isBlank()) {
					candidates.add(Path.of(entry, "pgbouncer"));
				}
			}
		}
		return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
			.orElseThrow(() -> new IllegalStateException("pgbouncer not found: install it (Debian/Ubuntu: apt-get "
					+ "install pgbouncer; macOS: brew install pgbouncer) or set " + BINARY + " to the binary. These "
					+ "tests start a PgBouncer of their own in front of the PostgreSQL test server."));
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * What one database alias of PgBouncer reaches.
	 *
	 * @param database the server's database
	 * @param connectQuery a statement run on each new server session, or {@code null}
	 */
	public record Alias(String database, String connectQuery) {

		/**
		 * Aliases in insertion order.
		 * @param entries alias, Alias, alias, Alias...
		 * @return the map
		 */
		public static Map<String, Alias> of(Object... entries) {
			Map<String, Alias> map = new LinkedHashMap<>();
			for (int i = 0; i < entries.length; i += 2) {
				map.put((String) entries[i], (Alias) entries[i + 1]);
			}
			return map;
		}

	}

}
