package io.asyncsql.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay between the service and its database that a test can cut, to take the database away from the
 * service without touching the (shared) server: while cut, the relay's port refuses connections and every relayed
 * connection is closed; once restored, it relays again on the same port.
 */
final class TcpProxy implements AutoCloseable {

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
		Thread thread = new Thread(runnable, "tcp-proxy");
		thread.setDaemon(true);
		return thread;
	});

	private volatile ServerSocket server;

	private TcpProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		accept(this.server);
	}

	static TcpProxy to(String host, int port) {
		try {
			return new TcpProxy(host, port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start the proxy", ex);
		}
	}

	/** @return the local port to connect to */
	int port() {
		return this.port;
	}

	/** Refuses new connections and closes the relayed ones. */
	synchronized void cut() {
		closeQuietly(this.server);
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/** Relays again, on the same port. */
	synchronized void restore() {
		try {
			this.server = listen(this.port);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot listen on port " + this.port + " again", ex);
		}
		accept(this.server);
	}

	@Override
	public void close() {
		cut();
		this.threads.shutdownNow();
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket server = new ServerSocket();
		server.setReuseAddress(true);
		server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		return server;
	}

	private void accept(ServerSocket server) {
		this.threads.execute(() -> {
			while (!server.isClosed()) {
				Socket client;
				try {
					client = server.accept();
				}
				catch (IOException ex) {
					continue; // closed by cut()
				}
				try {
					Socket upstream = new Socket(this.targetHost, this.targetPort);
					this.sockets.add(client);
					this.sockets.add(upstream);
					relay(client, upstream);
					relay(upstream, client);
				}
				catch (IOException ex) {
					closeQuietly(client);
				}
			}
		});
	}

	private void relay(Socket from, Socket to) {
		this.threads.execute(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.sockets.remove(from);
				this.sockets.remove(to);
			}
		});
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
