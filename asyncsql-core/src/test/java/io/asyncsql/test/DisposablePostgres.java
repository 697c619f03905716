package io.asyncsql.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.PoolSettings;
import io.asyncsql.core.SslMode;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.jspecify.annotations.Nullable;

/**
 * A throwaway PostgreSQL cluster of its own, for tests that need server settings the shared test server must not
 * get (TLS, password authentication, a server that is stopped and restarted). {@link Builder#start()} runs
 * {@code initdb} into a fresh temporary directory, writes {@code postgresql.conf} and {@code pg_hba.conf}, and
 * starts the server on a free port of 127.0.0.1; {@link #close()} stops it and deletes the directory (a shutdown
 * hook does the same if a test run is killed first).
 * <p>
 * With {@link Builder#tls()} the {@code openssl} command makes a test CA, a server certificate it signs for
 * {@code CN=localhost} with the single subject alternative name {@code DNS:localhost} (so verifying the host name
 * {@code 127.0.0.1} fails), and a second CA that signed nothing; the server then has {@code ssl = on}.
 * <p>
 * The server binaries come from {@code ASYNCSQL_TEST_PG_BINDIR}, else {@code pg_config --bindir}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}. When they or {@code openssl} are missing, starting fails with a
 * message that says what to install; the tests are not skipped. {@code initdb} refuses to run as root, so as root
 * every server command runs as the {@code postgres} operating-system user ({@code runuser}), which then owns the
 * directory.
 * <p>
 * The cluster's superuser is {@code postgres} and its database {@code postgres}; {@link #sql(String...)} and the
 * other {@link TestTarget} helpers reach it as that user (over TLS when the server has it).
 */
public final class DisposablePostgres extends TestTarget {

	/** The environment variable that may name the directory of {@code initdb} and {@code pg_ctl}. */
	public static final String BINDIR = "ASYNCSQL_TEST_PG_BINDIR";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

	private static final String SUPERUSER = "postgres";

	private static final String DATABASE = "postgres";

	private final Path directory;

	private final Path bin;

	private final int port;

	private final boolean tls;

	private final boolean asPostgresUser;

	private final Thread cleanup;

	private boolean closed;

	private DisposablePostgres(Path directory, Path bin, int port, boolean tls, boolean asPostgresUser) {
		super(ConnectionFactories.get(adminOptions(port, tls)));
		this.directory = directory;
		this.bin = bin;
		this.port = port;
		this.tls = tls;
		this.asPostgresUser = asPostgresUser;
		this.cleanup = new Thread(this::stopAndDelete, "disposable-postgres-" + port);
	}

	/** @return a builder for a cluster with trust authentication on 127.0.0.1 and no TLS */
	public static Builder builder() {
		return new Builder();
	}

	private static ConnectionFactoryOptions adminOptions(int port, boolean tls) {
		ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, "postgresql")
			.option(ConnectionFactoryOptions.HOST, "127.0.0.1")
			.option(ConnectionFactoryOptions.PORT, port)
			.option(ConnectionFactoryOptions.DATABASE, DATABASE)
			.option(ConnectionFactoryOptions.USER, SUPERUSER)
			.option(ConnectionFactoryOptions.CONNECT_TIMEOUT, Duration.ofSeconds(10));
		if (tls) {
			options.option(Option.valueOf("sslMode"), "require");
		}
		return options.build();
	}

	@Override
	public DatabaseType type() {
		return DatabaseType.POSTGRESQL;
	}

	/** @return the port the server listens on (127.0.0.1 only) */
	public int port() {
		return this.port;
	}

	/** @return {@code 127.0.0.1} */
	public String host() {
		return "127.0.0.1";
	}

	/** @return the superuser's R2DBC URL, with {@code sslMode=require} when the server has TLS */
	public String url() {
		return "r2dbc:postgresql://" + SUPERUSER + "@127.0.0.1:" + this.port + "/" + DATABASE
				+ (this.tls ? "?sslMode=require" : "");
	}

	/** @return the CA that signed the server certificate (PEM) */
	public Path caCertificate() {
		requireTls();
		return this.directory.resolve("ca.crt");
	}

	/** @return a CA that signed nothing this server presents (PEM) */
	public Path unrelatedCaCertificate() {
		requireTls();
		return this.directory.resolve("other-ca.crt");
	}

	/** @return the server's log file, for diagnosing a failed start */
	public Path logFile() {
		return this.directory.resolve("server.log");
	}

	/**
	 * Connection settings for the superuser.
	 * @param sslMode the mode, or {@code null} for the driver default
	 * @param options driver options
	 * @return the settings
	 */
	public ConnectionSettings connection(SslMode sslMode, Map<String, String> options) {
		return new ConnectionSettings(DatabaseType.POSTGRESQL, null, host(), this.port, DATABASE, SUPERUSER, null,
				sslMode, options);
	}

	@Override
	public NodeSettings.Builder node(String nodeName, Map<String, String> sessionOptions) {
		return NodeSettings.builder(nodeName)
			.connection(connection(this.tls ? SslMode.REQUIRE : null, sessionOptions))
			.pool(PoolSettings.builder().initialSize(0).maxSize(4).maxAcquireTime(Duration.ofSeconds(5)).build());
	}

	@Override
	public Map<String, String> shortLockTimeout() {
		return Map.of("lock_timeout", "300ms");
	}

	/**
	 * Stops the server (fast shutdown: sessions are ended) and starts it again on the same port, waiting until it
	 * accepts connections.
	 */
	public void restart() {
		pgCtl("restart", "-m", "fast");
	}

	/** Stops the server (fast shutdown) and waits until it has exited; the directory stays for {@link #start()}. */
	public void stop() {
		pgCtl("stop", "-m", "fast");
	}

	/** Starts a stopped server again on the same port and waits until it accepts connections. */
	public void start() {
		pgCtl("start");
	}

	/** Stops the server the way a crash would ({@code -m immediate}: no checkpoint, sessions cut off). */
	public void stopImmediately() {
		pgCtl("stop", "-m", "immediate");
	}

	/** Promotes a standby to a primary and waits until it accepts writes. */
	public void promote() {
		pgCtl("promote");
	}

	private void pgCtl(String action, String... extra) {
		List<String> command = new ArrayList<>(List.of(this.bin.resolve("pg_ctl").toString(), action, "-D",
				this.directory.resolve("data").toString(), "-w", "-t", "30", "-l", logFile().toString()));
		command.addAll(List.of(extra));
		run(this.directory, this.asPostgresUser, command);
	}

	/** Stops the server and deletes its directory. Idempotent. */
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
			if (Files.exists(this.directory.resolve("data/postmaster.pid"))) {
				run(this.directory, this.asPostgresUser, List.of(this.bin.resolve("pg_ctl").toString(), "stop", "-D",
						this.directory.resolve("data").toString(), "-m", "immediate", "-w", "-t", "30"));
			}
		}
		finally {
			deleteTree(this.directory);
		}
	}

	private void requireTls() {
		if (!this.tls) {
			throw new IllegalStateException("this cluster was started without tls()");
		}
	}

	// shared with DisposablePgBouncer
	static void deleteTree(Path root) {
		if (!Files.exists(root)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not delete " + root, ex);
		}
	}

	// ------------------------------------------------------------------ commands

	private static String run(Path workingDirectory, boolean asPostgresUser, List<String> command) {
		List<String> full = new ArrayList<>();
		if (asPostgresUser) {
			full.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
		}
		full.addAll(command);
		Path output = null;
		try {
			output = Files.createTempFile("asyncsql-pg-command", ".log");
			Process process = new ProcessBuilder(full).directory(workingDirectory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", full) + " did not finish within " + COMMAND_TIMEOUT);
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", full) + " failed with exit code " + process.exitValue()
						+ ":\n" + text);
			}
			return text;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not run " + String.join(" ", full), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running " + String.join(" ", full), ex);
		}
		finally {
			if (output != null) {
				try {
					Files.deleteIfExists(output);
				}
				catch (IOException ex) {
					// a leftover log file in the temp directory is harmless
				}
			}
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static Path serverBinaries() {
		String configured = System.getenv(BINDIR);
		if (configured != null && !configured.isBlank()) {
			Path bin = Path.of(configured.trim());
			if (hasServerBinaries(bin)) {
				return bin;
			}
			throw new IllegalStateException(BINDIR + "=" + configured + " does not contain initdb and pg_ctl");
		}
		try {
			Path pgConfig = Files.createTempFile("asyncsql-pg-config", ".log");
			try {
				Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true)
					.redirectOutput(pgConfig.toFile())
					.start();
				if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
					Path bin = Path.of(Files.readString(pgConfig).trim());
					if (hasServerBinaries(bin)) {
						return bin;
					}
				}
				process.destroyForcibly();
			}
			finally {
				Files.deleteIfExists(pgConfig);
			}
		}
		catch (IOException ex) {
			// no pg_config on the PATH: look in the usual place
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Path versions = Path.of("/usr/lib/postgresql");
		if (Files.isDirectory(versions)) {
			try (Stream<Path> candidates = Files.list(versions)) {
				Path newest = candidates.map(version -> version.resolve("bin"))
					.filter(DisposablePostgres::hasServerBinaries)
					.max(Comparator.comparing(bin -> versionNumber(bin.getParent().getFileName().toString())))
					.orElse(null);
				if (newest != null) {
					return newest;
				}
			}
			catch (IOException ex) {
				// fall through to the failure below
			}
		}
		throw new IllegalStateException("PostgreSQL server binaries (initdb, pg_ctl) not found: install the PostgreSQL "
				+ "server package (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql) or set "
				+ BINDIR + " to the directory that holds initdb. These tests start a throwaway cluster of their own.");
	}

	private static int versionNumber(String name) {
		try {
			return Integer.parseInt(name);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static boolean hasServerBinaries(Path bin) {
		return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no free port on 127.0.0.1", ex);
		}
	}

	/**
	 * What the cluster should look like. Without {@link #hba(String)} lines the server trusts every connection
	 * from 127.0.0.1.
	 */
	public static final class Builder {

		private boolean tls;

		private final List<String> hba = new ArrayList<>();

		private final List<String> settings = new ArrayList<>();

		private @Nullable DisposablePostgres primary;

		private @Nullable String slot;

		private Builder() {
		}

		/**
		 * Makes the cluster a streaming standby of another: instead of {@code initdb}, {@code pg_basebackup -R -X stream
		 * -C -S <slot>} copies the primary (which needs {@link #replicationSource()}) and keeps a replication slot
		 * there, so the standby follows it from the first byte. The standby's own settings come after the copied ones.
		 * @param primary the running primary
		 * @param slot the replication slot to create on the primary
		 * @return this builder
		 */
		public Builder standbyOf(DisposablePostgres primary, String slot) {
			this.primary = primary;
			this.slot = slot;
			return this;
		}

		/**
		 * Lets standbys replicate from this cluster: {@code wal_level = replica}, WAL senders and a
		 * {@code replication} line in {@code pg_hba.conf} for 127.0.0.1.
		 * @return this builder
		 */
		public Builder replicationSource() {
			this.settings.addAll(List.of("wal_level = replica", "max_wal_senders = 8", "max_replication_slots = 8",
					"hot_standby = on", "wal_keep_size = 64MB"));
			if (this.hba.isEmpty()) {
				this.hba.add("host all all 127.0.0.1/32 trust");
			}
			this.hba.add("host replication all 127.0.0.1/32 trust");
			return this;
		}

		/**
		 * Makes certificates and turns TLS on.
		 * @return this builder
		 */
		public Builder tls() {
			this.tls = true;
			return this;
		}

		/**
		 * Adds a {@code pg_hba.conf} line; lines apply in the order given, the first match wins.
		 * @param line such as {@code hostssl all all 127.0.0.1/32 trust}
		 * @return this builder
		 */
		public Builder hba(String line) {
			this.hba.add(line);
			return this;
		}

		/**
		 * Adds a {@code postgresql.conf} line.
		 * @param line such as {@code log_min_messages = debug1}
		 * @return this builder
		 */
		public Builder setting(String line) {
			this.settings.add(line);
			return this;
		}

		/**
		 * Creates and starts the cluster, waiting until it accepts connections.
		 * @return the running cluster; close it to stop and delete it
		 * @throws IllegalStateException when the server binaries or {@code openssl} are missing, or a command fails
		 * (the message has its output)
		 */
		public DisposablePostgres start() {
			Path bin = serverBinaries();
			boolean asPostgresUser = isRoot();
			Path directory;
			try {
				directory = Files.createTempDirectory("asyncsql-pg-");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not create a temporary directory", ex);
			}
			DisposablePostgres cluster = new DisposablePostgres(directory, bin, freePort(), this.tls, asPostgresUser);
			Runtime.getRuntime().addShutdownHook(cluster.cleanup);
			try {
				if (asPostgresUser) {
					giveToPostgres(directory);
				}
				if (this.primary != null) {
					run(directory, asPostgresUser, List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1",
							"-p", String.valueOf(this.primary.port), "-U", SUPERUSER, "-D",
							directory.resolve("data").toString(), "-R", "-X", "stream", "-C", "-S", this.slot,
							"--no-sync", "-c", "fast"));
				}
				else {
					run(directory, asPostgresUser, List.of(bin.resolve("initdb").toString(), "-D",
							directory.resolve("data").toString(), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
							"--locale=C", "--no-sync", "--no-instructions"));
				}
				if (this.tls) {
					makeCertificates(directory, asPostgresUser);
				}
				writeConfiguration(directory, cluster.port);
				cluster.start();
				return cluster;
			}
			catch (RuntimeException | Error ex) {
				try {
					cluster.close();
				}
				catch (RuntimeException cleanupFailure) {
					ex.addSuppressed(cleanupFailure);
				}
				throw ex;
			}
		}

		private static void giveToPostgres(Path directory) {
			try {
				UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
				Files.setOwner(directory, users.lookupPrincipalByName(SUPERUSER));
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
			}
			catch (IOException ex) {
				throw new IllegalStateException("running as root, but the temporary directory cannot be given to the "
						+ "'postgres' operating-system user that initdb needs (create that user, or run the tests as "
						+ "another user)", ex);
			}
		}

		private static void makeCertificates(Path directory, boolean asPostgresUser) {
			try {
				Files.writeString(directory.resolve("server.ext"), """
						subjectAltName = DNS:localhost
						basicConstraints = critical, CA:FALSE
						keyUsage = critical, digitalSignature, keyEncipherment
						extendedKeyUsage = serverAuth
						""");
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not write the certificate extensions", ex);
			}
			String openssl = "openssl";
			try {
				run(directory, false, List.of(openssl, "version"));
			}
			catch (UncheckedIOException | IllegalStateException ex) {
				throw new IllegalStateException("the openssl command is missing: install OpenSSL (Debian/Ubuntu: "
						+ "apt-get install openssl) so the TLS tests can make their certificates", ex);
			}
			for (String ca : List.of("ca", "other-ca")) {
				run(directory, asPostgresUser, List.of(openssl, "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt",
						"ec_paramgen_curve:prime256v1", "-nodes", "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "3",
						"-subj", "/CN=asyncsql test " + ca, "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
						"keyUsage=critical,keyCertSign,cRLSign"));
			}
			run(directory, asPostgresUser, List.of(openssl, "req", "-new", "-newkey", "ec", "-pkeyopt",
					"ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
					"/CN=localhost"));
			run(directory, asPostgresUser, List.of(openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt",
					"-CAkey", "ca.key", "-set_serial", "4096", "-days", "3", "-extfile", "server.ext", "-out",
					"server.crt"));
			try {
				// the server refuses a key file others can read
				Files.setPosixFilePermissions(directory.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not restrict server.key", ex);
			}
		}

		private void writeConfiguration(Path directory, int port) {
			Path data = directory.resolve("data");
			List<String> conf = new ArrayList<>(List.of("listen_addresses = '127.0.0.1'", "port = " + port,
					"unix_socket_directories = ''", "max_connections = 30", "shared_buffers = 16MB", "fsync = off",
					"synchronous_commit = off", "full_page_writes = off", "log_min_messages = warning"));
			if (this.tls) {
				conf.addAll(List.of("ssl = on", "ssl_cert_file = '" + directory.resolve("server.crt") + "'",
						"ssl_key_file = '" + directory.resolve("server.key") + "'"));
			}
			conf.addAll(this.settings);
			if (this.primary != null) {
				// the copied postgresql.conf carries the primary's port and settings: this cluster's own come after
				conf.add("primary_slot_name = '" + this.slot + "'");
			}
			List<String> hba = this.hba.isEmpty() ? List.of("host all all 127.0.0.1/32 trust") : this.hba;
			try {
				Files.writeString(data.resolve("postgresql.conf"), String.join("\n", conf) + "\n",
						java.nio.file.StandardOpenOption.APPEND);
				// initdb's pg_hba.conf is replaced whole: its local and ::1 lines are not wanted
				Files.writeString(data.resolve("pg_hba.conf"), String.join("\n", hba) + "\n",
						java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("could not write the server configuration in " + data, ex);
			}
		}

	}

}
