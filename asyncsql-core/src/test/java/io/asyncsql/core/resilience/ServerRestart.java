package io.asyncsql.core.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.asyncsql.test.TestDatabase;

/**
 * Restarts the PostgreSQL test server with {@code pg_ctlcluster} when this process may: the server is on this
 * machine, {@code pg_lsclusters} lists a cluster on its port, and the process runs as root or as the cluster's
 * owner. Otherwise {@link #unavailableReason()} says why the soak leaves restarts out.
 */
final class ServerRestart {

	private static final Duration PROCESS_WAIT = Duration.ofSeconds(90);

	private final String version;

	private final String cluster;

	private final String unavailableReason;

	private ServerRestart(String version, String cluster, String unavailableReason) {
		this.version = version;
		this.cluster = cluster;
		this.unavailableReason = unavailableReason;
	}

	/**
	 * Looks for the cluster behind a test server.
	 * @param database the server
	 * @param wanted whether restarts are wanted at all ({@code -Dasyncsql.soak.restart=false} leaves them out)
	 * @return what was found
	 */
	static ServerRestart of(TestDatabase database, boolean wanted) {
		if (!wanted) {
			return unavailable("restarts turned off with -Dasyncsql.soak.restart=false");
		}
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
				return new ServerRestart(fields[0], fields[1], null);
			}
		}
		return unavailable("pg_lsclusters lists no cluster on port " + database.port());
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
	 * @throws IOException when {@code pg_ctlcluster} fails or does not finish in time
	 */
	void restart() throws IOException {
		run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", this.version, this.cluster, "restart", "-m", "fast"));
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
