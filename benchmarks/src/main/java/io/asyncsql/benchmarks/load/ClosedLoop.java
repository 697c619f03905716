package io.asyncsql.benchmarks.load;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs a fixed number of callers for a fixed time, each starting its next call as soon as its previous one ended
 * (a closed loop: concurrency, not arrival rate, is the fixed quantity). Latency is recorded per call in an
 * HdrHistogram; throughput is successful calls over the wall-clock time until the last caller finished.
 */
final class ClosedLoop {

	/** How long after the deadline the callers' last calls may take before the run counts as stuck. */
	private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

	private final Recorder recorder = new Recorder(3);

	private final LongAdder operations = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final AtomicReference<String> firstError = new AtomicReference<>();

	private final long deadline;

	private final long start;

	private final CountDownLatch finished;

	private final ProcessMeter meter;

	private ClosedLoop(int concurrency, Duration duration) {
		this.finished = new CountDownLatch(concurrency);
		this.meter = ProcessMeter.start();
		this.start = System.nanoTime();
		this.deadline = this.start + duration.toNanos();
	}

	/**
	 * Runs a non-blocking operation with {@code concurrency} calls in flight.
	 * @param operation the call
	 * @param concurrency calls in flight
	 * @param duration how long new calls are started
	 * @return what was measured
	 * @throws IllegalStateException when calls are still running long after the deadline
	 */
	static LoopOutcome async(AsyncOperation operation, int concurrency, Duration duration) {
		ClosedLoop loop = new ClosedLoop(concurrency, duration);
		for (int i = 0; i < concurrency; i++) {
			loop.new AsyncCaller(operation).next();
		}
		return loop.await();
	}

	/**
	 * Runs a blocking operation on {@code concurrency} threads of an executor.
	 * @param operation the call
	 * @param concurrency threads
	 * @param duration how long new calls are started
	 * @param threads runs the callers; must be able to run {@code concurrency} tasks at once
	 * @return what was measured
	 */
	static LoopOutcome blocking(BlockingOperation operation, int concurrency, Duration duration, ExecutorService threads) {
		ClosedLoop loop = new ClosedLoop(concurrency, duration);
		for (int i = 0; i < concurrency; i++) {
			threads.execute(() -> {
				try {
					while (System.nanoTime() < loop.deadline) {
						long started = System.nanoTime();
						try {
							operation.run();
							loop.succeeded(started);
						}
						catch (Exception | Error ex) {
							loop.failed(ex);
						}
					}
				}
				finally {
					loop.finished.countDown();
				}
			});
		}
		return loop.await();
	}

	private LoopOutcome await() {
		try {
			long wait = this.deadline - System.nanoTime() + STUCK_AFTER.toNanos();
			if (!this.finished.await(wait, TimeUnit.NANOSECONDS)) {
				throw new IllegalStateException("calls were still running " + STUCK_AFTER.toSeconds()
						+ " s after the end of the run");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		long elapsed = System.nanoTime() - this.start;
		Histogram latencies = this.recorder.getIntervalHistogram();
		return new LoopOutcome(this.operations.sum(), this.errors.sum(), this.firstError.get(), elapsed, latencies,
				this.meter.cpuNanos(), this.meter.allocatedBytes());
	}

	private void succeeded(long started) {
		this.recorder.recordValue(System.nanoTime() - started);
		this.operations.increment();
	}

	private void failed(Throwable failure) {
		this.errors.increment();
		this.firstError.compareAndSet(null, failure.getClass().getName() + ": " + failure.getMessage());
	}

	/**
	 * One caller of a non-blocking operation. A call that completes on the starting thread does not recurse: the
	 * work-in-progress counter turns such completions into iterations of the loop in {@link #next()}.
	 */
	private final class AsyncCaller implements Completion {

		private final AsyncOperation operation;

		private final AtomicInteger wip = new AtomicInteger();

		private volatile long started;

		AsyncCaller(AsyncOperation operation) {
			this.operation = operation;
		}

		void next() {
			if (this.wip.getAndIncrement() != 0) {
				return;
			}
			do {
				if (System.nanoTime() >= ClosedLoop.this.deadline) {
					ClosedLoop.this.finished.countDown();
					return;
				}
				this.started = System.nanoTime();
				try {
					this.operation.start(this);
				}
				catch (RuntimeException ex) {
					// thrown before the call got going: count it and carry on with the next one
					ClosedLoop.this.failed(ex);
					this.wip.incrementAndGet();
				}
			}
			while (this.wip.decrementAndGet() != 0);
		}

		@Override
		public void succeeded() {
			ClosedLoop.this.succeeded(this.started);
			next();
		}

		@Override
		public void failed(Throwable failure) {
			ClosedLoop.this.failed(failure);
			next();
		}

	}

}
