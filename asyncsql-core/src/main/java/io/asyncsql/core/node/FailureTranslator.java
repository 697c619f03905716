package io.asyncsql.core.node;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.InvalidStatementException;
import io.asyncsql.core.SqlExecutionException;
import io.asyncsql.core.SslMode;
import io.asyncsql.core.TransactionConflictException;
import io.asyncsql.core.UniqueViolationException;
import io.asyncsql.core.dialect.Dialect;
import io.asyncsql.core.pool.SharedPool;
import io.asyncsql.core.retry.TlsFailure;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.core.sql.BoundStatement;
import io.asyncsql.core.sql.NullBind;
import io.r2dbc.spi.Parameter;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;

/**
 * Turns driver and pool failures into the public {@link AsyncSqlException} types, each a Spring
 * {@link DataAccessException} with the meaning Spring gives the failure, with messages that name the node and the
 * SQLState but never a bound value or a password. A TLS handshake that failed for good, a login the server refused
 * (SQLState class 28) and an unknown database (3D000) are connection failures, not failed statements.
 * <p>
 * Decided by SQLState, vendor code and exception type, never by message text: timeouts and cancellations, then
 * the session failures, then pool exhaustion and lost connections, then what the statement itself ran into
 * (concurrency conflicts, duplicate keys, other integrity and data errors, rejected SQL, the rest).
 */
final class FailureTranslator {

	// from the first quote to the last: servers do not escape quotes inside the input they quote
	private static final Pattern QUOTED = Pattern.compile("\".*\"", Pattern.DOTALL);

	private static final Pattern SINGLE_QUOTED = Pattern.compile("'.*'", Pattern.DOTALL);

	// MariaDB's syntax errors quote the statement from the error on, with the values the driver put in its text
	private static final Pattern NEAR = Pattern.compile("near '.*' at line (\\d+)", Pattern.DOTALL);

	private static final Pattern MARKER = Pattern.compile("\\$(\\d{1,5})\\b");

	private static final int MYSQL_DUPLICATE_KEY = 1062;

	// MySQL and MariaDB error codes of a refused session, with the standard SQLState each stands for
	private static final Map<Integer, String> MYSQL_REFUSED_SESSION = Map.of(1044, "28000", 1045, "28000", 1049,
			"3D000");

	// statement_completion_unknown: distributed engines (CockroachDB, YugabyteDB) send it when a node failed while
	// the statement or its commit was in flight
	private static final String STATEMENT_COMPLETION_UNKNOWN = "40003";

	private final String node;

	private final Dialect dialect;

	private final SharedPool pool;

	FailureTranslator(String node, Dialect dialect, SharedPool pool) {
		this.node = node;
		this.dialect = dialect;
		this.pool = pool;
	}

	/**
	 * Translates the final failure of a call.
	 * @param failure the failure, unwrapped
	 * @param attempts attempts made
	 * @param bound the statement, to remove its values from messages, or {@code null}
	 * @param timeout the call's timeout, or {@code null}
	 * @param write whether the call writes (an abandoned write has an unknown outcome)
	 * @return the public exception
	 */
	DataAccessException translate(Throwable failure, int attempts, @Nullable BoundStatement bound,
			@Nullable Duration timeout, boolean write) {
		if (failure instanceof AsyncSqlException && failure instanceof DataAccessException known) {
			return known;
		}
		if (failure instanceof StatementAbandonedException abandoned) {
			if (write) {
				return new CommitOutcomeUnknownException("Node '" + this.node + "': a write did not end within its "
						+ "timeout " + timeout + " even after a cancel request; whether it took effect is unknown", this.node,
						null, attempts, abandoned);
			}
			return new QueryTimeoutException("Node '" + this.node + "': statement exceeded its timeout " + timeout
					+ " and did not respond to cancellation", this.node, (timeout != null) ? timeout : Duration.ZERO, null,
					abandoned);
		}
		String sqlState = TransientFailureClassifier.sqlState(failure);
		if (STATEMENT_COMPLETION_UNKNOWN.equals(sqlState)) {
			return new CommitOutcomeUnknownException("Node '" + this.node + "': the database could not tell whether the "
					+ "statement completed [SQLState " + sqlState + "], so whether its writes took effect is unknown: "
					+ scrub(String.valueOf(failure.getMessage()), sqlState, bound), this.node, sqlState, attempts,
					failure);
		}
		int vendorCode = vendorCode(failure);
		if (this.dialect.isCancellation(sqlState, vendorCode)) {
			return new QueryTimeoutException("Node '" + this.node + "': statement cancelled by the server after its "
					+ "timeout " + timeout, this.node, (timeout != null) ? timeout : Duration.ZERO, sqlState, failure);
		}
		Throwable tls = TlsFailure.find(failure);
		if (tls != null) {
			return new ConnectionFailureException("Node '" + this.node + "': cannot connect to the database at "
					+ this.pool.target() + ": the TLS handshake failed (ssl-mode " + sslMode() + "; the server "
					+ "certificate was not accepted, or TLS was refused): " + tlsDetail(tls), this.node, null, attempts,
					failure);
		}
		String refused = refusedSessionState(failure);
		if (refused != null) {
			// the server refused the session itself (pg_hba.conf, a wrong password, an unknown user or database),
			// which no statement of the call could cause
			return new ConnectionFailureException("Node '" + this.node + "': the database at " + this.pool.target()
					+ " refused the login" + stateSuffix(refused) + ": " + scrub(String.valueOf(failure.getMessage()),
							refused, bound), this.node, refused, attempts, failure);
		}
		TransientReason reason = this.dialect.classifier().classify(failure);
		if (reason == TransientReason.POOL_EXHAUSTED) {
			return new PoolExhaustedException(this.node, this.pool.name(), this.pool.key().pool().maxAcquireTime(),
					attempts, failure);
		}
		String message = scrub(String.valueOf(failure.getMessage()), sqlState, bound);
		message += typeHintAdvice(message, sqlState, bound);
		if (reason == TransientReason.CONNECTION || reason == TransientReason.SHUTDOWN
				|| reason == TransientReason.TOO_MANY_CONNECTIONS) {
			return new ConnectionFailureException("Node '" + this.node + "': cannot use the database at "
					+ this.pool.target() + stateSuffix(sqlState) + ": " + message, this.node, sqlState, attempts, failure);
		}
		if (reason == null && firstR2dbc(failure) instanceof R2dbcNonTransientResourceException) {
			// the driver's word for a session it could not open or keep, Spring's DataAccessResourceFailureException
			// (MariaDB reports a refused login so while connecting, without the server's SQLState)
			return new ConnectionFailureException("Node '" + this.node + "': cannot use the database at "
					+ this.pool.target() + stateSuffix(sqlState) + ": " + message, this.node, sqlState, attempts, failure);
		}
		return statementFailure("Node '" + this.node + "': statement failed" + stateSuffix(sqlState) + ": " + message,
				reason, sqlState, vendorCode, attempts, failure);
	}

	// SQLState class 28 is invalid authorization, 3D000 an unknown database (MySQL and MariaDB: errors 1044 and 1045,
	// 1049 under 42000); the MariaDB driver wraps them in a connection failure of its own (H1000) while connecting
	private static @Nullable String refusedSessionState(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof R2dbcException r2dbc) {
				String state = r2dbc.getSqlState();
				if (state != null && (state.startsWith("28") || state.equals("3D000"))) {
					return state;
				}
				String vendorState = MYSQL_REFUSED_SESSION.get(r2dbc.getErrorCode());
				if (vendorState != null) {
					return (state != null && !state.startsWith("H")) ? state : vendorState;
				}
			}
			current = current.getCause();
		}
		return null;
	}

	/**
	 * The Spring meaning of a failed statement, from its SQLState (and MySQL's duplicate-key code, which shares
	 * SQLState 23000 with every other constraint).
	 */
	private DataAccessException statementFailure(String message, @Nullable TransientReason reason,
			@Nullable String sqlState, int vendorCode, int attempts, Throwable failure) {
		if (reason == TransientReason.SERIALIZATION || reason == TransientReason.DEADLOCK
				|| reason == TransientReason.LOCK_NOT_AVAILABLE) {
			return new TransactionConflictException(message, this.node, sqlState, attempts, failure);
		}
		String sqlClass = (sqlState != null && sqlState.length() == 5) ? sqlState.substring(0, 2) : "";
		if ("23505".equals(sqlState) || (sqlClass.equals("23") && vendorCode == MYSQL_DUPLICATE_KEY)) {
			return new UniqueViolationException(message, this.node, sqlState, attempts, failure);
		}
		return switch (sqlClass) {
			case "22", "23" -> new IntegrityViolationException(message, this.node, sqlState, attempts, failure);
			case "42" -> new InvalidStatementException(message, this.node, sqlState, attempts, failure);
			default -> new SqlExecutionException(message, this.node, sqlState, attempts, failure);
		};
	}

	private String sslMode() {
		SslMode mode = this.pool.key().connection().sslMode();
		return (mode != null) ? mode.name().toLowerCase(Locale.ROOT).replace('_', '-') : "driver default";
	}

	// the handshake's own words, and the root cause's when they add to them (the JDK's reason for distrust)
	private static String tlsDetail(Throwable tls) {
		String detail = String.valueOf(tls.getMessage());
		Throwable root = tls;
		for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
			root = root.getCause();
		}
		String rootMessage = root.getMessage();
		return (root != tls && rootMessage != null && !detail.contains(rootMessage)) ? detail + " (" + rootMessage + ")"
				: detail;
	}

	private static String stateSuffix(@Nullable String sqlState) {
		return (sqlState != null) ? " [SQLState " + sqlState + "]" : "";
	}

	private static @Nullable R2dbcException firstR2dbc(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof R2dbcException r2dbc) {
				return r2dbc;
			}
			current = current.getCause();
		}
		return null;
	}

	private static int vendorCode(Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < 16; depth++) {
			if (current instanceof R2dbcException r2dbc) {
				return r2dbc.getErrorCode();
			}
			current = current.getCause();
		}
		return 0;
	}

	/**
	 * Removes bound values from a database message (servers quote offending input: {@code invalid input syntax
	 * for type integer: "abc"}). Data exceptions and integrity violations (SQLState classes 22 and 23) quote
	 * little but input, which may be one element of an array or a piece of JSON rather than a whole value, so every
	 * quoted part of them goes; so does the statement text a MariaDB syntax error quotes when values were bound,
	 * since the driver writes them into that text.
	 */
	static String scrub(String message, @Nullable String sqlState, @Nullable BoundStatement bound) {
		String scrubbed = message;
		if (sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23"))) {
			// MariaDB quotes input in single quotes (Incorrect integer value: '...', Duplicate entry '...')
			scrubbed = QUOTED.matcher(scrubbed).replaceAll("\"?\"");
			scrubbed = SINGLE_QUOTED.matcher(scrubbed).replaceAll("'?'");
		}
		if (bound == null) {
			return scrubbed;
		}
		if (bound.values().length > 0) {
			// the quoted text may hold a value, whole or cut short, in any form the driver wrote it
			scrubbed = NEAR.matcher(scrubbed).replaceAll("near '?' at line $1");
		}
		for (Object value : bound.values()) {
			Object plain = (value instanceof Parameter parameter) ? parameter.getValue() : value;
			if (plain == null || plain instanceof NullBind) {
				continue;
			}
			String text = (plain instanceof CharSequence || plain instanceof Number || plain instanceof java.util.UUID)
					? plain.toString() : null;
			if (text != null && text.length() >= 2 && scrubbed.contains(text)) {
				scrubbed = scrubbed.replace(text, "?");
			}
		}
		return scrubbed;
	}

	/**
	 * PostgreSQL cannot always infer a parameter's type from the statement ({@code :p IS NULL} with a null value,
	 * some function arguments); the fix is a type hint, so say so and name the parameter behind the marker.
	 */
	static String typeHintAdvice(String message, @Nullable String sqlState, @Nullable BoundStatement bound) {
		if (!"42P18".equals(sqlState) && !"42P08".equals(sqlState)) {
			return "";
		}
		Matcher marker = MARKER.matcher(message);
		String parameter = (bound != null && marker.find()) ? "parameter " + bound.parameterLabel(
				Integer.parseInt(marker.group(1)) - 1) : "the parameter";
		return "; give " + parameter + " a type hint (parameter-types on the node or Query.parameterTypes)";
	}

}
