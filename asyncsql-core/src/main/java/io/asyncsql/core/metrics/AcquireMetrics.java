package io.asyncsql.core.metrics;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcTimeoutException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The meters of connection acquisition from one pool: {@value #ACQUIRE} times each connection handed out and
 * {@value #ACQUIRE_TIMEOUTS} counts the acquisitions that gave up after {@code max-acquire-time}, both tagged
 * {@code pool} (as HikariCP's {@code hikaricp.connections.acquire} and {@code hikaricp.connections.timeout}).
 */
public final class AcquireMetrics {

	/** Metric name of the acquire timer. */
	public static final String ACQUIRE = "asyncsql.pool.acquire";

	/** Metric name of the acquire timeout counter. */
	public static final String ACQUIRE_TIMEOUTS = "asyncsql.pool.acquire.timeouts";

	/** Tag key of the pool name, on every asyncsql pool meter (and added to {@code r2dbc.pool.*}). */
	public static final String POOL_TAG = "pool";

	private static final AcquireMetrics NONE = new AcquireMetrics(null, null);

	private final @Nullable Timer acquired;

	private final @Nullable Counter timeouts;

	private AcquireMetrics(@Nullable Timer acquired, @Nullable Counter timeouts) {
		this.acquired = acquired;
		this.timeouts = timeouts;
	}

	/**
	 * Registers the meters of a pool.
	 * @param pool the pool name ({@code pool} tag)
	 * @param registry where to register, or {@code null} to record nothing
	 * @return the meters
	 */
	public static AcquireMetrics of(String pool, @Nullable MeterRegistry registry) {
		if (registry == null) {
			return NONE;
		}
		return new AcquireMetrics(Timer.builder(ACQUIRE)
			.description("Time to acquire a connection from an asyncsql pool")
			.tag(POOL_TAG, pool)
			.register(registry),
				Counter.builder(ACQUIRE_TIMEOUTS)
					.description("Connection acquisitions that timed out after max-acquire-time")
					.tag(POOL_TAG, pool)
					.register(registry));
	}

	/**
	 * Measures an acquisition.
	 * @param acquire the pool's acquisition
	 * @return the same acquisition, timed when it succeeds and counted when it times out
	 */
	public Mono<Connection> instrument(Mono<Connection> acquire) {
		Timer timer = this.acquired;
		Counter timeoutCounter = this.timeouts;
		if (timer == null || timeoutCounter == null) {
			return acquire;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return acquire.doOnSuccess(c -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS))
				.doOnError(R2dbcTimeoutException.class, ex -> timeoutCounter.increment());
		});
	}

}
