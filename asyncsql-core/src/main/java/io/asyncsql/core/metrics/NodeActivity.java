package io.asyncsql.core.metrics;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.asyncsql.core.AsyncSqlException;
import io.asyncsql.core.RetryExhaustedException;
import org.jspecify.annotations.Nullable;

/**
 * What went wrong lately on one node, for health details: the last failed call and the calls that failed
 * transiently on every allowed attempt. Kept whether or not a meter registry is present; written on failures only,
 * so successful calls pay nothing.
 */
public final class NodeActivity {

	private final AtomicReference<@Nullable Failure> lastFailure = new AtomicReference<>();

	private final AtomicReference<@Nullable Failure> lastRetriesExhausted = new AtomicReference<>();

	private final AtomicLong retriesExhausted = new AtomicLong();

	/**
	 * Records a call that failed (not one refused by validation or binding, which never reached the database).
	 * @param error the failure the caller received
	 */
	public void recordFailure(Throwable error) {
		Failure failure = Failure.of(error);
		this.lastFailure.set(failure);
		if (error instanceof RetryExhaustedException) {
			this.retriesExhausted.incrementAndGet();
			this.lastRetriesExhausted.set(failure);
		}
	}

	/** @return the last failed call, or {@code null} when none failed */
	public @Nullable Failure lastFailure() {
		return this.lastFailure.get();
	}

	/** @return how many calls failed transiently on every allowed attempt */
	public long retriesExhausted() {
		return this.retriesExhausted.get();
	}

	/** @return the last call that exhausted its retries, or {@code null} */
	public @Nullable Failure lastRetriesExhausted() {
		return this.lastRetriesExhausted.get();
	}

	/**
	 * One failed call, safe to show: asyncsql exception messages never hold passwords or bound values, and of any
	 * other exception only the type is kept.
	 *
	 * @param at when it failed
	 * @param type the exception's simple class name
	 * @param sqlState the SQLState, or {@code null}
	 * @param attempts how many times the call was attempted, 0 when unknown
	 * @param message the message, or {@code null} for exceptions that are not asyncsql's
	 */
	public record Failure(Instant at, String type, @Nullable String sqlState, int attempts, @Nullable String message) {

		static Failure of(Throwable error) {
			if (error instanceof AsyncSqlException failure) {
				return new Failure(Instant.now(), error.getClass().getSimpleName(), failure.sqlState(),
						failure.attempts(), failure.getMessage());
			}
			return new Failure(Instant.now(), error.getClass().getSimpleName(), null, 0, null);
		}

	}

}
