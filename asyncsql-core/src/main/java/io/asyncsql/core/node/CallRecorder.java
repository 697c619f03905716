package io.asyncsql.core.node;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.asyncsql.core.QueryResult;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.metrics.NodeActivity;
import io.asyncsql.core.metrics.NodeMetrics;
import io.asyncsql.core.metrics.QueryOutcome;
import io.asyncsql.core.observation.AsyncSqlObservationDocumentation.QueryEvents;
import io.asyncsql.core.observation.AsyncSqlObservations;
import io.asyncsql.core.observation.QueryObservationContext;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Measures each call of a node once: the {@code asyncsql.queries} timer, the {@code asyncsql.query} observation, the
 * node's recent failures and the DEBUG line all see the same call, from subscription to its one final signal
 * (success, error or the caller's cancel).
 */
final class CallRecorder {

	// the per-call DEBUG line keeps the category it always had
	private static final Logger logger = LoggerFactory.getLogger(DefaultAsyncSqlNode.class);

	private final String node;

	private final NodeMetrics metrics;

	private final NodeActivity activity;

	private final AsyncSqlObservations observations;

	CallRecorder(String node, NodeMetrics metrics, NodeActivity activity, AsyncSqlObservations observations) {
		this.node = node;
		this.metrics = metrics;
		this.activity = activity;
		this.observations = observations;
	}

	<T> Mono<T> timed(PreparedCall call, Mono<T> work) {
		if (!isMeasured()) {
			return work.doOnError(this.activity::recordFailure);
		}
		return Mono.deferContextual(context -> {
			Recording recording = new Recording(call, context);
			return work.doOnSuccess(recording::succeeded)
				.doOnError(recording::failed)
				.doOnCancel(recording::cancelled)
				.contextWrite(recording::publish);
		});
	}

	// a stream ends when its last row was delivered; the logged row count is the rows delivered
	<T> Flux<T> timedRows(PreparedCall call, Flux<T> rows) {
		if (!isMeasured()) {
			return rows.doOnError(this.activity::recordFailure);
		}
		return Flux.deferContextual(context -> {
			Recording recording = new Recording(call, context);
			AtomicLong delivered = new AtomicLong();
			return rows.doOnNext(row -> delivered.incrementAndGet())
				.doOnComplete(() -> recording.succeeded(delivered.get()))
				.doOnError(recording::failed)
				.doOnCancel(recording::cancelled)
				.contextWrite(recording::publish);
		});
	}

	private boolean isMeasured() {
		return !this.observations.isNoop() || this.metrics.isEnabled() || logger.isDebugEnabled();
	}

	/** The timer sample, observation and log line of one call; the first final signal wins. */
	private final class Recording {

		private final PreparedCall call;

		private final long start = System.nanoTime();

		private final AtomicBoolean ended = new AtomicBoolean();

		private final @Nullable Observation observation;

		Recording(PreparedCall call, ContextView context) {
			this.call = call;
			this.observation = observations.isNoop() ? null
					: observations.startQuery(context, call.bound().template());
		}

		void succeeded(@Nullable Object result) {
			if (end(QueryOutcome.SUCCESS, result) && this.observation != null) {
				this.observation.stop();
			}
		}

		void failed(Throwable error) {
			QueryOutcome outcome = (error instanceof QueryTimeoutException) ? QueryOutcome.TIMEOUT : QueryOutcome.ERROR;
			if (!end(outcome, null)) {
				return;
			}
			activity.recordFailure(error);
			if (this.observation != null) {
				this.observation.error(error);
				this.observation.stop();
			}
		}

		// not an error of the call: the span ends without error status, with error.type=cancelled and an event
		void cancelled() {
			if (end(QueryOutcome.CANCELLED, null) && this.observation != null) {
				if (this.observation.getContext() instanceof QueryObservationContext context) {
					context.setCancelled();
				}
				this.observation.event(QueryEvents.CANCELLED);
				this.observation.stop();
			}
		}

		private boolean end(QueryOutcome outcome, @Nullable Object result) {
			if (!this.ended.compareAndSet(false, true)) {
				return false;
			}
			long elapsed = System.nanoTime() - this.start;
			metrics.recordQuery(this.call.kind(), outcome, elapsed);
			if (logger.isDebugEnabled()) {
				long rows = (result instanceof QueryResult queryResult) ? queryResult.rowCount()
						: (result instanceof Long count) ? count : -1;
				logger.debug("node={} operation={} outcome={} elapsedMs={} rows={}", node, this.call.kind().tag(),
						outcome.tag(), elapsed / 1_000_000.0, rows);
			}
			return true;
		}

		Context publish(Context context) {
			return (this.observation != null) ? context.put(AsyncSqlObservations.CONTEXT_KEY, this.observation)
					: context;
		}

	}

}
