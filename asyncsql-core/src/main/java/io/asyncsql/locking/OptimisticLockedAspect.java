package io.asyncsql.locking;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.OptimisticLockingFailureException;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * Implements {@link OptimisticLocked}. Ordered just before Spring's transaction advice, so it wraps it: every
 * attempt runs in a fresh transaction.
 * <p>
 * Conflicts the {@link OptimisticLockManager} raised are already counted by it. The others (Spring Data
 * {@code @Version} conflicts, any other {@code OptimisticLockingFailureException}) are counted here, in the same
 * {@code asyncsql.lock.*} meters, lock metrics and conflict history: one conflict per failed attempt (resolution
 * {@code retry}), and per advised call that met any, one operation ({@code success} or {@code retry_exhausted})
 * with its retry count. The {@code table} tag, record id and expected version are what Spring Data's message
 * names; without them the table is the advised method ({@code Class.method}), the id {@code unknown} and the
 * expected version -1.
 */
@Aspect
public class OptimisticLockedAspect implements Ordered {

	private static final Logger logger = LoggerFactory.getLogger(OptimisticLockedAspect.class);

	/** The aspect's order: outside the transaction advice, which defaults to the lowest precedence. */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	private static final Pattern SPRING_DATA_TABLE = Pattern.compile("table \\[([^\\]]{1,128})\\]");

	// "Failed to update versioned entity with id '7' (version '3') in table [accounts]; ..."
	private static final Pattern SPRING_DATA_ID = Pattern.compile("id '([^']{1,128})'");

	private static final Pattern SPRING_DATA_VERSION = Pattern.compile("version '(-?\\d{1,18})'");

	private final LockingSettings defaults;

	private final @Nullable LockActivity activity;

	private final Scheduler timer;

	private final ConcurrentHashMap<Method, Policy> policies = new ConcurrentHashMap<>();

	/**
	 * Creates the aspect, counting conflicts in the lock manager's metrics and history.
	 * @param manager gives the values for unset attributes and takes the counts
	 * @param timer runs delays of reactive methods
	 */
	public OptimisticLockedAspect(OptimisticLockManager manager, Scheduler timer) {
		this(manager.settings(), manager.activity(), timer);
	}

	/**
	 * Creates the aspect without metrics.
	 * @param defaults the values for unset attributes
	 * @param timer runs delays of reactive methods
	 */
	public OptimisticLockedAspect(LockingSettings defaults, Scheduler timer) {
		this(defaults, null, timer);
	}

	private OptimisticLockedAspect(LockingSettings defaults, @Nullable LockActivity activity, Scheduler timer) {
		this.defaults = defaults;
		this.activity = activity;
		this.timer = timer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	/**
	 * Retries the advised method on version conflicts.
	 * @param joinPoint the invocation
	 * @param optimisticLocked the annotation
	 * @return the method's result, retried
	 * @throws Throwable the method's failure, or the last conflict once retries are used up
	 */
	@Around("@annotation(optimisticLocked)")
	public Object retryOnConflict(ProceedingJoinPoint joinPoint, OptimisticLocked optimisticLocked) throws Throwable {
		Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
		Policy policy = this.policies.computeIfAbsent(method, m -> Policy.of(optimisticLocked, this.defaults));
		Class<?> returnType = method.getReturnType();
		if (Mono.class.isAssignableFrom(returnType)) {
			return Mono.defer(() -> {
				ForeignConflicts conflicts = new ForeignConflicts(method);
				return Mono.defer(() -> Mono.from(invoke(joinPoint)))
					.retryWhen(policy.retry(this.timer, method, conflicts))
					.doOnSuccess(ignored -> conflicts.succeeded())
					.doOnError(conflicts::failed);
			});
		}
		if (Flux.class.isAssignableFrom(returnType) || Publisher.class.isAssignableFrom(returnType)) {
			return Flux.defer(() -> {
				ForeignConflicts conflicts = new ForeignConflicts(method);
				return Flux.defer(() -> invoke(joinPoint))
					.retryWhen(policy.retry(this.timer, method, conflicts))
					.doOnComplete(conflicts::succeeded)
					.doOnError(conflicts::failed);
			});
		}
		if (CompletionStage.class.isAssignableFrom(returnType)) {
			return Mono.defer(() -> {
				ForeignConflicts conflicts = new ForeignConflicts(method);
				return Mono.defer(() -> Mono.fromCompletionStage((CompletionStage<?>) proceed(joinPoint)))
					.retryWhen(policy.retry(this.timer, method, conflicts))
					.doOnSuccess(ignored -> conflicts.succeeded())
					.doOnError(conflicts::failed);
			}).toFuture();
		}
		// a plain method: retry on the calling thread, which the caller expects to block anyway
		ForeignConflicts conflicts = new ForeignConflicts(method);
		for (int retry = 0;; retry++) {
			try {
				Object result = joinPoint.proceed();
				conflicts.succeeded();
				return result;
			}
			catch (OptimisticLockingFailureException ex) {
				conflicts.met(ex, retry);
				if (retry >= policy.maxRetries) {
					conflicts.failed(ex);
					throw ex;
				}
				Duration delay = policy.delay(retry);
				logger.debug("{}: version conflict, retry {} in {} ms", method.getName(), retry + 1, delay.toMillis());
				Mono.delay(delay, this.timer).block();
			}
		}
	}

	/**
	 * The conflicts one advised call met that the lock manager did not count, recorded in its activity when the
	 * call ends.
	 */
	private final class ForeignConflicts {

		private final Method method;

		private @Nullable String table;

		private int count;

		ForeignConflicts(Method method) {
			this.method = method;
		}

		void met(Throwable conflict, int retriesSoFar) {
			if (OptimisticLockedAspect.this.activity == null || conflict instanceof OptimisticLockConflictException) {
				return;
			}
			String message = String.valueOf(conflict.getMessage());
			Matcher table = SPRING_DATA_TABLE.matcher(message);
			Matcher id = SPRING_DATA_ID.matcher(message);
			Matcher version = SPRING_DATA_VERSION.matcher(message);
			// Spring Data writes the table as it quoted it in SQL ("accounts", `accounts`)
			this.table = table.find() ? table.group(1).replaceAll("[\"`]", "")
					: this.method.getDeclaringClass().getSimpleName() + "." + this.method.getName();
			this.count++;
			OptimisticLockedAspect.this.activity.conflict(this.table, id.find() ? id.group(1) : "unknown",
					version.find() ? Long.parseLong(version.group(1)) : -1, null, retriesSoFar, ConflictResolution.RETRY);
		}

		void succeeded() {
			finish(LockStatus.SUCCESS, this.count);
		}

		// only a conflict that outlasted the retries is an exhausted operation; another failure ends it uncounted
		void failed(Throwable failure) {
			if (failure instanceof OptimisticLockingFailureException) {
				finish(LockStatus.RETRY_EXHAUSTED, this.count - 1);
			}
		}

		private void finish(LockStatus status, int retries) {
			if (OptimisticLockedAspect.this.activity != null && this.count > 0 && this.table != null) {
				OptimisticLockedAspect.this.activity.operation(this.table,
						new LockResult(status, null, retries, null, null));
			}
			this.count = 0;
		}

	}

	private static Publisher<?> invoke(ProceedingJoinPoint joinPoint) {
		return (Publisher<?>) proceed(joinPoint);
	}

	private static Object proceed(ProceedingJoinPoint joinPoint) {
		try {
			return joinPoint.proceed();
		}
		catch (Throwable ex) {
			throw Exceptions.propagate(ex);
		}
	}

	private record Policy(int maxRetries, LockRetryBackoff backoff) {

		static Policy of(OptimisticLocked annotation, LockingSettings defaults) {
			int maxRetries = (annotation.maxRetries() >= 0) ? annotation.maxRetries() : defaults.maxRetries();
			Duration delay = annotation.retryDelay().isBlank() ? defaults.retryDelay()
					: parseDuration("retryDelay", annotation.retryDelay());
			double multiplier = (annotation.backoffMultiplier() >= 1) ? annotation.backoffMultiplier()
					: defaults.retryBackoffMultiplier();
			Duration max = annotation.maxRetryDelay().isBlank() ? defaults.maxRetryDelay()
					: parseDuration("maxRetryDelay", annotation.maxRetryDelay());
			if (max.compareTo(delay) < 0) {
				// a retry delay above the cap is the cap: the longest wait the method asked for
				max = delay;
			}
			return new Policy(maxRetries, new LockRetryBackoff(delay, multiplier, max, annotation.jitter()));
		}

		// "50ms", "2s", "1m" or ISO-8601 "PT0.5S"
		static Duration parseDuration(String attribute, String text) {
			String value = text.trim().toLowerCase(java.util.Locale.ROOT);
			if (value.startsWith("p") || value.startsWith("-p")) {
				return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
			}
			java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)?").matcher(value);
			if (!matcher.matches()) {
				throw new IllegalArgumentException("@OptimisticLocked " + attribute + " '" + text
						+ "' is not a duration such as 50ms, 2s or PT0.5S");
			}
			long amount = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
			return switch (unit) {
				case "ns" -> Duration.ofNanos(amount);
				case "us" -> Duration.ofNanos(amount * 1_000);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				case "d" -> Duration.ofDays(amount);
				default -> Duration.ofMillis(amount);
			};
		}

		Duration delay(int retry) {
			return this.backoff.delay(retry);
		}

		Retry retry(Scheduler timer, Method method, ForeignConflicts conflicts) {
			return Retry.from(signals -> signals.concatMap(signal -> {
				Throwable failure = signal.failure();
				if (!(failure instanceof OptimisticLockingFailureException)) {
					return Mono.error(failure);
				}
				conflicts.met(failure, (int) signal.totalRetries());
				if (signal.totalRetries() >= this.maxRetries) {
					return Mono.error(failure);
				}
				Duration wait = delay((int) signal.totalRetries());
				logger.debug("{}: version conflict, retry {} in {} ms", method.getName(), signal.totalRetries() + 1,
						wait.toMillis());
				return Mono.delay(wait, timer);
			}));
		}

	}

}
