package io.asyncsql.core.dialect;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Text forms of Java values that PostgreSQL parses unambiguously, for array elements.
 */
final class PostgresValues {

	private PostgresValues() {
	}

	/**
	 * The text PostgreSQL reads back as the same value.
	 * @throws IllegalArgumentException for types without an unambiguous text form; the message names the type only
	 */
	static String text(Object value) {
		if (value instanceof CharSequence || value instanceof Character || value instanceof UUID) {
			return value.toString();
		}
		if (value instanceof ZonedDateTime zoned) {
			// the zone id in brackets is not PostgreSQL syntax; the offset is all it needs
			return zoned.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		if (value instanceof OffsetDateTime || value instanceof Instant || value instanceof LocalDateTime
				|| value instanceof LocalDate || value instanceof LocalTime || value instanceof OffsetTime) {
			return value.toString();
		}
		if (value instanceof Duration || value instanceof Period) {
			// ISO 8601 durations (PT1H30M, P1Y2M) are valid interval input
			return value.toString();
		}
		if (value instanceof InetAddress address) {
			return address.getHostAddress();
		}
		throw new IllegalArgumentException("elements of type " + value.getClass().getName()
				+ " cannot go into a PostgreSQL array; give the parameter a jsonb or json type hint to store the "
				+ "collection as JSON");
	}

}
