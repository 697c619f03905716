package io.asyncsql.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between nodes under test and the shared database server, so tests can break the network without
 * touching the server. It can
 * <ul>
 * <li>{@linkplain #refuseConnections() refuse new connections}: the listening port is closed, so connecting fails
 * the way it does against a stopped server, and {@linkplain #acceptConnections() accept them again} on the same
 * port;</li>
 * <li>{@linkplain #cutConnections() cut the connections it carries} with a reset, as a crashed server or a broken
 * network would, on both sides (the server's backend ends as after a lost client);</li>
 * <li>{@linkplain #hold() hold all traffic} (a server that stops answering while its sockets stay open) and
 * {@linkplain #release() let it flow again}.</li>
 * </ul>
 * Plain blocking java.nio: one thread accepts, and each connection has one thread per direction, which is
 * plenty for the few dozen connections a test opens.
 */
public final class TcpProxy implements AutoCloseable {

	private static final int BUFFER_SIZE = 16 * 1024;

	private volatile InetSocketAddress target;

	private final int port;

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final Object holdLock = new Object();

	private boolean holding;

	private volatile boolean closed;

	private ServerSocketChannel listener;

	private TcpProxy(InetSocketAddress target) {
		this.target = target;
		this.listener = listen(0);
		this.port = this.listener.socket().getLocalPort();
		startAccepting(this.listener);
	}

	/**
	 * Starts a proxy on a free local port.
	 * @param host the server's host
	 * @param port the server's port
	 * @return the running proxy
	 */
	public static TcpProxy start(String host, int port) {
		return new TcpProxy(new InetSocketAddress(host, port));
	}

	/**
	 * Starts a proxy in front of a test database.
	 * @param database the server
	 * @return the running proxy
	 */
	public static TcpProxy to(TestDatabase database) {
		return start(database.host(), database.port());
	}

	/**
	 * Sends new connections to another server from now on, as a virtual IP or a DNS name moved at a failover does;
	 * connections already open stay with the old one.
	 * @param host the new server's host
	 * @param port the new server's port
	 */
	public void retarget(String host, int port) {
		this.target = new InetSocketAddress(host, port);
	}

	/** @return the local port nodes should connect to */
	public int port() {
		return this.port;
	}

	/** @return the host nodes should connect to */
	public String host() {
		return "127.0.0.1";
	}

	/**
	 * Closes the listening port: new connections are refused by the operating system, as for a stopped server.
	 * Connections already open stay open. Idempotent.
	 */
	public synchronized void refuseConnections() {
		if (this.listener != null) {
			closeQuietly(this.listener);
			this.listener = null;
		}
	}

	/**
	 * Opens the listening port again (the same port). Idempotent.
	 */
	public synchronized void acceptConnections() {
		if (this.listener == null && !this.closed) {
			this.listener = listen(this.port);
			startAccepting(this.listener);
		}
	}

	/**
	 * Resets every connection the proxy carries, client and server side.
	 * @return how many connections were cut
	 */
	public int cutConnections() {
		List<Link> current = List.copyOf(this.links);
		current.forEach(Link::reset);
		return current.size();
	}

	/** Stops forwarding bytes in both directions; connections stay open and new ones are still accepted. */
	public void hold() {
		synchronized (this.holdLock) {
			this.holding = true;
		}
	}

	/** Forwards bytes again after {@link #hold()}. */
	public void release() {
		synchronized (this.holdLock) {
			this.holding = false;
			this.holdLock.notifyAll();
		}
	}

	/** @return connections currently carried */
	public int openConnections() {
		return this.links.size();
	}

	/** @return connections accepted since the proxy started */
	public int acceptedConnections() {
		return this.accepted.get();
	}

	@Override
	public void close() {
		this.closed = true;
		refuseConnections();
		release();
		cutConnections();
	}

	private static ServerSocketChannel listen(int port) {
		try {
			ServerSocketChannel channel = ServerSocketChannel.open();
			channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
			channel.bind(new InetSocketAddress("127.0.0.1", port), 128);
			return channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, ex);
		}
	}

	private void startAccepting(ServerSocketChannel channel) {
		Thread acceptor = new Thread(() -> acceptLoop(channel), "tcp-proxy-accept-" + this.port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private void acceptLoop(ServerSocketChannel channel) {
		while (channel.isOpen()) {
			SocketChannel client;
			try {
				client = channel.accept();
			}
			catch (IOException ex) {
				return; // closed by refuseConnections() or close()
			}
			this.accepted.incrementAndGet();
			SocketChannel server;
			try {
				server = SocketChannel.open(this.target);
			}
			catch (IOException ex) {
				closeQuietly(client);
				continue;
			}
			Link link = new Link(client, server);
			this.links.add(link);
			link.start();
		}
	}

	private void awaitFlowing() throws InterruptedException {
		synchronized (this.holdLock) {
			while (this.holding && !this.closed) {
				this.holdLock.wait();
			}
		}
	}

	private static void closeQuietly(java.nio.channels.Channel channel) {
		try {
			channel.close();
		}
		catch (IOException ex) {
			// already broken
		}
	}

	/** One proxied connection: a client side, a server side and a thread per direction. */
	private final class Link {

		private final SocketChannel client;

		private final SocketChannel server;

		private final AtomicBoolean ended = new AtomicBoolean();

		Link(SocketChannel client, SocketChannel server) {
			this.client = client;
			this.server = server;
		}

		void start() {
			startPump(this.client, this.server, "up");
			startPump(this.server, this.client, "down");
		}

		private void startPump(SocketChannel from, SocketChannel to, String direction) {
			Thread pump = new Thread(() -> pump(from, to), "tcp-proxy-" + TcpProxy.this.port + "-" + direction);
			pump.setDaemon(true);
			pump.start();
		}

		private void pump(SocketChannel from, SocketChannel to) {
			ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
			try {
				while (true) {
					buffer.clear();
					if (from.read(buffer) < 0) {
						break;
					}
					buffer.flip();
					awaitFlowing();
					while (buffer.hasRemaining()) {
						to.write(buffer);
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				// the other side or a cut ended the link
			}
			end(false);
		}

		void reset() {
			end(true);
		}

		private void end(boolean reset) {
			if (!this.ended.compareAndSet(false, true)) {
				return;
			}
			TcpProxy.this.links.remove(this);
			if (reset) {
				lingerZero(this.client);
				lingerZero(this.server);
			}
			closeQuietly(this.client);
			closeQuietly(this.server);
		}

		private void lingerZero(SocketChannel channel) {
			try {
				// closing with a zero linger sends RST instead of FIN: the peer sees "connection reset"
				channel.setOption(StandardSocketOptions.SO_LINGER, 0);
			}
			catch (IOException ex) {
				// already closed
			}
		}

	}

}
