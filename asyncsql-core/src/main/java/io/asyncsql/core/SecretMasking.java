package io.asyncsql.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that may reach logs, exceptions or endpoints.
 */
public final class SecretMasking {

	/** What a masked secret is replaced with. */
	public static final String MASK = "******";

	// scheme://user:password@host  ->  the password group
	private static final Pattern URL_USER_INFO = Pattern.compile("(://[^/@:?#\\s]*):([^@/?#\\s]*)@");

	// ?password=... or &password=... in URL query strings
	private static final Pattern URL_PASSWORD_PARAM = Pattern.compile("([?&;](?i:password|pwd|sslPassword)=)[^&;\\s]*");

	private SecretMasking() {
	}

	/**
	 * Masks the password of a URL's user info and any {@code password=} query parameter.
	 * @param url a URL, possibly with credentials
	 * @return the URL with passwords replaced by {@value #MASK}
	 */
	public static String maskUrl(String url) {
		String masked = URL_USER_INFO.matcher(url).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
		return URL_PASSWORD_PARAM.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK));
	}

}
