package io.asyncsql.sample.web;

/**
 * A change of an account named no version to merge against, neither in {@code If-Match} nor in the body.
 */
class VersionRequiredException extends RuntimeException {

	VersionRequiredException() {
		super("Send the version the change is based on, as If-Match: \"<version>\" or as \"version\" in the body");
	}

}
