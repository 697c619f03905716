package io.asyncsql.core.dialect;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Text forms of Java values that PostgreSQL parses unambiguously, for array elements.
 */
final class PostgresValues {

	private PostgresValues() {
	}

	static String text(Object value) {
		if (value instanceof ZonedDateTime zoned) {
			return zoned.toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		if (value instanceof OffsetDateTime || value instanceof Instant || value instanceof LocalDateTime
				|| value instanceof LocalDate || value instanceof LocalTime || value instanceof OffsetTime) {
			return value.toString();
		}
		if (value instanceof Duration duration) {
			// ISO 8601 durations (PT1H30M) are valid interval input
			return duration.toString();
		}
		return value.toString();
	}

}
