package io.asyncsql.core.retry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;

/**
 * Decides whether a failure is transient and why, from SQLStates, vendor error codes and exception types; never
 * from message text. Unwraps Spring's {@code DataAccessException}, Reactor's wrappers and any other cause chain; a
 * composite of several failures (Reactor's {@code Exceptions.multiple}) is transient only when each part is.
 * <p>
 * A TLS handshake that failed for good ({@link TlsFailure}) is never transient, though drivers report it as a
 * connection failure.
 * <p>
 * Dialects contribute their vendor codes (MySQL's 1213 deadlock, for example) through the constructor; the
 * standard SQLStates are built in.
 */
public final class TransientFailureClassifier {

	private static final int MAX_CAUSE_DEPTH = 16;

	private final Map<Integer, TransientReason> vendorCodes;

	/**
	 * A classifier with only the standard SQLStates.
	 */
	public TransientFailureClassifier() {
		this(Map.of());
	}

	/**
	 * A classifier that also knows vendor error codes.
	 * @param vendorCodes vendor codes (as reported by {@link R2dbcException#getErrorCode()}) to reasons
	 */
	public TransientFailureClassifier(Map<Integer, TransientReason> vendorCodes) {
		this.vendorCodes = Map.copyOf(vendorCodes);
	}

	/**
	 * Classifies a failure.
	 * @param failure any throwable
	 * @return the reason it is transient, or {@code null} when it is not
	 */
	public @Nullable TransientReason classify(@Nullable Throwable failure) {
		if (TlsFailure.in(failure)) {
			// an untrusted certificate stays untrusted, whatever connection state the driver reports with it
			return null;
		}
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
			if (Exceptions.isMultiple(current)) {
				return classifyAll(Exceptions.unwrapMultiple(current));
			}
			TransientReason reason = classifyOne(current);
			if (reason != null) {
				return reason;
			}
			if (current instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
				// the database gave a definite state and it is not a transient one
				return null;
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return null;
	}

	// several failures reported together (Reactor's composite): retrying only helps when each of them is transient
	private @Nullable TransientReason classifyAll(List<Throwable> failures) {
		TransientReason first = null;
		for (Throwable failure : failures) {
			TransientReason reason = classify(failure);
			if (reason == null) {
				return null;
			}
			if (first == null) {
				first = reason;
			}
		}
		return first;
	}

	/**
	 * The first SQLState in a cause chain.
	 * @param failure any throwable
	 * @return the SQLState, or {@code null}
	 */
	public static @Nullable String sqlState(@Nullable Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
			if (current instanceof R2dbcException r2dbc && r2dbc.getSqlState() != null) {
				return r2dbc.getSqlState();
			}
			current = current.getCause();
		}
		return null;
	}

	private @Nullable TransientReason classifyOne(Throwable failure) {
		if (failure instanceof R2dbcException r2dbc) {
			TransientReason reason = bySqlState(r2dbc.getSqlState());
			if (reason == null) {
				reason = this.vendorCodes.get(r2dbc.getErrorCode());
			}
			if (reason != null) {
				return reason;
			}
			if (r2dbc instanceof R2dbcTimeoutException && r2dbc.getSqlState() == null) {
				// r2dbc-pool's "Connection acquisition timed out": the database never saw the call
				return TransientReason.POOL_EXHAUSTED;
			}
			if (r2dbc.getSqlState() == null && (r2dbc instanceof R2dbcNonTransientResourceException
					|| r2dbc instanceof R2dbcTransientResourceException)) {
				// a resource failure without a server state: the driver lost or could not open the connection
				return TransientReason.CONNECTION;
			}
			return null;
		}
		if (failure instanceof ConnectException || failure instanceof UnknownHostException
				|| failure instanceof ClosedChannelException) {
			return TransientReason.CONNECTION;
		}
		if (failure instanceof IOException && isNettyOrJdkSocketFailure(failure)) {
			return TransientReason.CONNECTION;
		}
		return null;
	}

	private static boolean isNettyOrJdkSocketFailure(Throwable failure) {
		// connection resets surface as plain IOExceptions from the socket layer (java.net.SocketException,
		// io.netty.channel.unix.Errors$NativeIoException); both are connection failures by type
		String type = failure.getClass().getName();
		return failure instanceof java.net.SocketException || type.startsWith("io.netty.");
	}

	/**
	 * The reason a standard SQLState stands for.
	 * @param sqlState a SQLState, or {@code null}
	 * @return the reason, or {@code null} when the state is not transient
	 */
	public static @Nullable TransientReason bySqlState(@Nullable String sqlState) {
		if (sqlState == null || sqlState.length() != 5) {
			return null;
		}
		if (sqlState.startsWith("08")) {
			return TransientReason.CONNECTION;
		}
		return switch (sqlState) {
			case "40001" -> TransientReason.SERIALIZATION;
			case "40P01" -> TransientReason.DEADLOCK;
			case "55P03" -> TransientReason.LOCK_NOT_AVAILABLE;
			case "57P01", "57P02", "57P03" -> TransientReason.SHUTDOWN;
			case "53300" -> TransientReason.TOO_MANY_CONNECTIONS;
			case "25006" -> TransientReason.READ_ONLY;
			default -> null;
		};
	}

}
