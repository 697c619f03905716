package io.asyncsql.core;

/**
 * Transport security towards the database, with PostgreSQL's vocabulary. Dialects without an equivalent map
 * each value to the closest setting of their driver.
 */
public enum SslMode {

	/** Plain TCP only. */
	DISABLE,

	/** Plain TCP first, TLS if the server insists. */
	ALLOW,

	/** TLS first, plain TCP if the server does not offer TLS. The driver default. */
	PREFER,

	/** TLS required; the certificate is not verified. */
	REQUIRE,

	/** TLS required and the server certificate must be signed by a trusted CA. */
	VERIFY_CA,

	/** As {@link #VERIFY_CA}, and the certificate must match the host name. */
	VERIFY_FULL

}
