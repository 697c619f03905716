package io.asyncsql.core.resilience;

import java.io.EOFException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.asyncsql.core.retry.TlsFailure;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS handshake that failed for good is never transient, though r2dbc-postgresql wraps it in a connection
 * failure with SQLState 08003 (the real chains are in {@code security.TlsConnectionTests}); a handshake that merely
 * broke off stays a connection failure.
 */
class TlsFailureClassificationTests {

	private final TransientFailureClassifier classifier = new TransientFailureClassifier();

	private static R2dbcNonTransientResourceException cannotConnect(Throwable cause) {
		return new R2dbcNonTransientResourceException("Cannot connect to db/<unresolved>:5432", "08003", 0, cause);
	}

	private static SSLHandshakeException handshake(String message, Throwable cause) {
		SSLHandshakeException handshake = new SSLHandshakeException(message);
		handshake.initCause(cause);
		return handshake;
	}

	@Test
	void anUntrustedCertificateIsNotTransient() {
		Throwable untrusted = cannotConnect(handshake("PKIX path building failed",
				new CertificateException("unable to find valid certification path to requested target")));
		assertThat(this.classifier.classify(untrusted)).isNull();
		assertThat(TlsFailure.find(untrusted)).isInstanceOf(SSLHandshakeException.class);
	}

	@Test
	void aFatalAlertFromTheServerIsNotTransient() {
		assertThat(this.classifier.classify(cannotConnect(new SSLHandshakeException("Received fatal alert: bad_certificate"))))
			.isNull();
	}

	@Test
	void anUnverifiedPeerIsNotTransient() {
		assertThat(this.classifier.classify(cannotConnect(new SSLPeerUnverifiedException("peer not authenticated"))))
			.isNull();
	}

	@Test
	void aHandshakeCutOffByTheNetworkIsAConnectionFailure() {
		Throwable cutOff = cannotConnect(handshake("Remote host terminated the handshake", new EOFException()));
		assertThat(TlsFailure.in(cutOff)).isFalse();
		assertThat(this.classifier.classify(cutOff)).isEqualTo(TransientReason.CONNECTION);
	}

	@Test
	void aConnectionFailureWithoutTlsStaysTransient() {
		assertThat(this.classifier.classify(cannotConnect(new java.net.ConnectException("Connection refused"))))
			.isEqualTo(TransientReason.CONNECTION);
	}

}
