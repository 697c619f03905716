package io.asyncsql.core.retry;

import java.io.IOException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.jspecify.annotations.Nullable;

/**
 * Recognises a TLS handshake that failed for good: a certificate that is not trusted or does not name the host, a
 * peer that could not be verified, a fatal alert, or the driver refusing the server's TLS answer. Trying again
 * cannot help, so such failures are never transient, even when the driver reports them as a connection failure
 * (r2dbc-postgresql's SQLState 08003). Recognised by exception type, never by message text. A handshake that
 * merely broke off (the peer closed the socket) is a connection failure like any other.
 */
public final class TlsFailure {

	private static final int MAX_CAUSE_DEPTH = 16;

	// r2dbc-postgresql's own TLS refusal (host name not verified, TLS required but not offered): package-private
	private static final String POSTGRES_DRIVER_TLS_FAILURE = "io.r2dbc.postgresql.client.AbstractPostgresSSLHandlerAdapter$PostgresqlSslException";

	private TlsFailure() {
	}

	/**
	 * Finds the TLS failure in a cause chain.
	 * @param failure any throwable
	 * @return the first exception of the chain that makes it a lasting TLS failure, or {@code null}
	 */
	public static @Nullable Throwable find(@Nullable Throwable failure) {
		Throwable current = failure;
		for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
			if (isLasting(current)) {
				return current;
			}
			current = (current.getCause() != current) ? current.getCause() : null;
		}
		return null;
	}

	/**
	 * Whether a cause chain holds a lasting TLS failure.
	 * @param failure any throwable
	 * @return {@code true} when it does
	 */
	public static boolean in(@Nullable Throwable failure) {
		return find(failure) != null;
	}

	private static boolean isLasting(Throwable failure) {
		if (failure instanceof CertificateException || failure instanceof SSLPeerUnverifiedException
				|| failure.getClass().getName().equals(POSTGRES_DRIVER_TLS_FAILURE)) {
			return true;
		}
		if (failure instanceof SSLHandshakeException) {
			// "Remote host terminated the handshake" carries the socket's EOF or reset: that one may pass
			Throwable cause = failure.getCause();
			return !(cause instanceof IOException) || cause instanceof SSLException;
		}
		return false;
	}

}
