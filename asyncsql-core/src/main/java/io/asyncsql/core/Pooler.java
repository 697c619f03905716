package io.asyncsql.core;

/**
 * What sits between a node and its PostgreSQL server, and so which session features the node may rely on.
 */
public enum Pooler {

	/**
	 * The node talks to the server itself (or through a proxy that keeps one server session per client
	 * connection, such as PgBouncer in {@code pool_mode = session}). The default.
	 */
	NONE,

	/**
	 * A transaction-pooling proxy, such as PgBouncer with {@code pool_mode = transaction}: consecutive transactions of
	 * one client connection may run on different server sessions, and a session's state is seen by whichever
	 * client gets the session next. The node then keeps no session state: statements are unnamed (no server-side
	 * prepared statement outlives its call), no session parameter is sent at connection start (the node's
	 * {@code options} are refused; set them on the database role or in the proxy instead), and a statement timeout
	 * is enforced by a cancel request when it expires, never by {@code SET statement_timeout}. Validation also
	 * refuses statements whose effect would outlive their transaction ({@code LISTEN}, session-level advisory locks,
	 * {@code SET} other than {@code SET LOCAL} inside a transaction, {@code PREPARE}, {@code WITH HOLD} cursors,
	 * temporary tables not dropped at commit). PostgreSQL only. PgBouncer needs
	 * {@code ignore_startup_parameters = extra_float_digits}, as for every Java driver.
	 */
	TRANSACTION

}
