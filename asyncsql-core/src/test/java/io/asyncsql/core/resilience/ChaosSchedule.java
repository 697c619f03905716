package io.asyncsql.core.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.asyncsql.test.PostgresSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The faults of the soak, one at a time at random intervals on a thread of its own: backends of the nodes'
 * pool terminated on the server, the server restarted (where {@link ServerRestart} allows it), a table held
 * under an {@code ACCESS EXCLUSIVE} lock for a few seconds, and in-flight calls of some workers cancelled.
 */
final class ChaosSchedule {

	private static final Logger logger = LoggerFactory.getLogger(ChaosSchedule.class);

	private static final Duration WAIT = Duration.ofSeconds(30);

	// a restart costs seconds of traffic: at most one per this much time
	private static final Duration RESTART_SPACING = Duration.ofSeconds(90);

	private final PostgresSchema schema;

	private final String applicationPrefix;

	private final ServerRestart restart;

	private final Sinks.Many<Integer> cancels;

	private final int workers;

	private final Random random;

	final AtomicInteger terminations = new AtomicInteger();

	final AtomicInteger terminatedBackends = new AtomicInteger();

	final AtomicInteger restarts = new AtomicInteger();

	final AtomicLong restartMillis = new AtomicLong();

	final AtomicInteger locks = new AtomicInteger();

	final AtomicLong lockedMillis = new AtomicLong();

	final AtomicInteger cancellations = new AtomicInteger();

	final AtomicInteger faultsThatFailed = new AtomicInteger();

	/**
	 * @param schema the schema the traffic runs in
	 * @param applicationPrefix the start of the {@code application_name} of the pool's connections
	 * @param restart whether and how the server can be restarted
	 * @param cancels where worker numbers are sent to cancel their call in flight
	 * @param workers how many workers there are
	 * @param seed the seed of the schedule
	 */
	ChaosSchedule(PostgresSchema schema, String applicationPrefix, ServerRestart restart, Sinks.Many<Integer> cancels,
			int workers, long seed) {
		this.schema = schema;
		this.applicationPrefix = applicationPrefix;
		this.restart = restart;
		this.cancels = cancels;
		this.workers = workers;
		this.random = new Random(seed);
	}

	/**
	 * Injects faults until the time is up; the first restart comes at about 40 % of the run.
	 * @param duration how long to go on
	 */
	void run(Duration duration) {
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		long firstRestart = start + duration.toNanos() * 2 / 5;
		long lastRestart = 0;
		while (System.nanoTime() < end) {
			pause(Duration.ofMillis(500 + this.random.nextInt(2000)));
			long now = System.nanoTime();
			if (now >= end) {
				break;
			}
			boolean restartDue = this.restart.available() && now >= firstRestart
					&& (lastRestart == 0 || (now - lastRestart >= RESTART_SPACING.toNanos() && this.random.nextInt(4) == 0));
			try {
				if (restartDue) {
					restartServer();
					lastRestart = System.nanoTime();
				}
				else {
					int pick = this.random.nextInt(10);
					if (pick < 4) {
						terminateBackends();
					}
					else if (pick < 7) {
						holdExclusiveLock(Duration.ofMillis(1000 + this.random.nextInt(2000)));
					}
					else {
						cancelSomeCalls();
					}
				}
			}
			catch (Exception ex) {
				// a fault may meet another one's aftermath (a lock taken while the server restarts): go on
				this.faultsThatFailed.incrementAndGet();
				logger.info("A fault could not be injected: {}", ex.toString());
			}
		}
	}

	private void terminateBackends() {
		List<List<Object>> killed = this.schema.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
				+ "WHERE application_name LIKE '" + this.applicationPrefix + "%' AND pid <> pg_backend_pid()");
		this.terminations.incrementAndGet();
		this.terminatedBackends.addAndGet(killed.size());
	}

	private void restartServer() throws Exception {
		long started = System.nanoTime();
		this.restart.restart();
		this.restarts.incrementAndGet();
		this.restartMillis.addAndGet((System.nanoTime() - started) / 1_000_000);
	}

	private void holdExclusiveLock(Duration hold) {
		String table = this.random.nextBoolean() ? "accounts" : "counters";
		try (OpenTransaction lock = OpenTransaction.begin(this.schema.database(), null, this.schema.name(),
				"LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE")) {
			this.locks.incrementAndGet();
			long started = System.nanoTime();
			pause(hold);
			this.lockedMillis.addAndGet((System.nanoTime() - started) / 1_000_000);
		}
	}

	private void cancelSomeCalls() {
		int count = 1 + this.random.nextInt(Math.max(1, this.workers / 4));
		for (int i = 0; i < count; i++) {
			// a worker between calls has nothing to cancel: dropping the signal is fine
			this.cancels.tryEmitNext(this.random.nextInt(this.workers));
		}
		this.cancellations.addAndGet(count);
	}

	// pacing of the schedule, not a synchronisation: nothing waits for anything to have happened
	private static void pause(Duration duration) {
		Mono.delay(duration).block(duration.plus(WAIT));
	}

}
