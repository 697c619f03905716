package io.asyncsql.core.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.asyncsql.test.DisposablePostgres;
import io.asyncsql.test.TestDatabase;

/**
 * How the soak restarts its server, chosen with {@code -Dasyncsql.soak.restart}:
 * <ul>
 * <li>{@code disposable} (the default; {@code true} means the same): the soak runs on a throwaway cluster of its
 * own ({@link DisposablePostgres}) and restarts that one, so the test server is never touched;</li>
 * <li>{@code test-server}: the soak runs on the test server and restarts it with {@code pg_ctlcluster}, when this
 * process may (the server is on this machine, {@code pg_lsclusters} lists a cluster on its port, and the process
 * runs as root or as the cluster's owner); only for a server that is there to be restarted;</li>
 * <li>{@code false}: the soak runs on the test server and leaves restarts out.</li>
 * </ul>
 * {@link #unavailableReason()} says why restarts are left out.
 */
final class ServerRestart {

	/** The system property that chooses the mode. */
	static final String PROPERTY = "asyncsql.soak.restart";

	private static final Duration PROCESS_WAIT = Duration.ofSeconds(90);

	private final List<String> command;

	private final Runnable restart;

	private final String unavailableReason;

	private ServerRestart(List<String> command, Runnable restart, String unavailableReason) {
		this.command = command;
		this.restart = restart;
		this.unavailableReason = unavailableReason;
	}

	/**
	 * Reads {@value #PROPERTY}.
	 * @return {@code disposable}, {@code test-server} or {@code false}
	 * @throws IllegalArgumentException for any other value, naming the ones there are
	 */
	static String mode() {
		String mode = System.getProperty(PROPERTY, "disposable").trim().toLowerCase(Locale.ROOT);
		return switch (mode) {
			case "disposable", "true" -> "disposable";
			case "test-server", "false" -> mode;
			default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + mode
					+ " is not a mode: use disposable (a throwaway cluster, the default), test-server (restart the "
					+ "test server itself) or false (no restarts)");
		};
	}

	/**
	 * Restarts of a throwaway cluster the soak started itself.
	 * @param cluster the cluster
	 * @return restarts that stop and start that cluster
	 */
	static ServerRestart of(DisposablePostgres cluster) {
		return new ServerRestart(null, cluster::restart, null);
	}

	/**
	 * Looks for the cluster behind the test server.
	 * @param database the server
	 * @return what was found
	 */
	static ServerRestart ofTestServer(TestDatabase database) {
		try {
			if (!InetAddress.getByName(database.host()).isLoopbackAddress()) {
				return unavailable("the server at " + database.host() + " is not on this machine");
			}
		}
		catch (IOException ex) {
			return unavailable("the server's host does not resolve: " + ex.getMessage());
		}
		List<String> clusters;
		try {
			clusters = run(List.of("pg_lsclusters", "--no-header"));
		}
		catch (IOException ex) {
			return unavailable("pg_lsclusters is not available (" + ex.getMessage() + ")");
		}
		String user = System.getProperty("user.name");
		for (String line : clusters) {
			// Ver Cluster Port Status Owner Data-directory Log-file
			String[] fields = line.trim().split("\\s+");
			if (fields.length >= 5 && fields[2].equals(Integer.toString(database.port()))) {
				if (!user.equals("root") && !user.equals(fields[4])) {
					return unavailable("cluster " + fields[0] + "/" + fields[1] + " belongs to " + fields[4]
							+ " and this process runs as " + user);
				}
				return new ServerRestart(List.of("pg_ctlcluster", "--skip-systemctl-redirect", fields[0], fields[1],
						"restart", "-m", "fast"), null, null);
			}
		}
		return unavailable("pg_lsclusters lists no cluster on port " + database.port());
	}

	/**
	 * No restarts at all.
	 * @param reason why, for the soak's report
	 * @return restarts that are not available
	 */
	static ServerRestart none(String reason) {
		return unavailable(reason);
	}

	private static ServerRestart unavailable(String reason) {
		return new ServerRestart(null, null, reason);
	}

	/** @return why restarts are left out, or {@code null} when they are possible */
	String unavailableReason() {
		return this.unavailableReason;
	}

	/** @return whether restarts are possible */
	boolean available() {
		return this.unavailableReason == null;
	}

	/**
	 * Restarts the server (fast shutdown: sessions are terminated, in-flight transactions roll back) and returns
	 * when it accepts connections again.
	 * @throws IOException when {@code pg_ctlcluster} fails or does not finish in time (a throwaway cluster's
	 * {@code pg_ctl} failing is an {@link IllegalStateException})
	 */
	void restart() throws IOException {
		if (this.restart != null) {
			this.restart.run();
		}
		else {
			run(this.command);
		}
	}

	private static List<String> run(List<String> command) throws IOException {
		Path output = Files.createTempFile("asyncsql-soak", ".out");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
			try {
				if (!process.waitFor(PROCESS_WAIT.toSeconds(), TimeUnit.SECONDS)) {
					process.destroyForcibly();
					throw new IOException(String.join(" ", command) + " did not finish within " + PROCESS_WAIT);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				process.destroyForcibly();
				throw new IOException("interrupted while waiting for " + command.get(0), ex);
			}
			List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
						+ String.join(" | ", lines));
			}
			return lines;
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

}
