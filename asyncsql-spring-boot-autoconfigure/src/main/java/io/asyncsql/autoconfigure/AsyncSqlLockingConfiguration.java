package io.asyncsql.autoconfigure;

import java.time.Clock;

import io.asyncsql.locking.LockingSettings;
import io.asyncsql.locking.OptimisticLockManager;
import io.asyncsql.locking.OptimisticLockedAspect;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import reactor.core.scheduler.Schedulers;

/**
 * Optimistic locking: the {@link OptimisticLockManager} bean from {@code asyncsql.locking.*}, and the
 * {@code @OptimisticLocked} aspect when AspectJ is present.
 */
@Configuration(proxyBeanMethods = false)
@Import(AsyncSqlLockingConfiguration.AspectConfiguration.class)
class AsyncSqlLockingConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OptimisticLockManager optimisticLockManager(AsyncSqlProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
		return new OptimisticLockManager(settings(properties.getLocking()), meterRegistry.getIfAvailable(),
				Schedulers.parallel(), Clock.systemUTC());
	}

	static LockingSettings settings(AsyncSqlProperties.Locking locking) {
		String prefix = "asyncsql.locking.";
		requireIdentifier(prefix + "version-field", locking.getVersionField());
		requireIdentifier(prefix + "id-field", locking.getIdField());
		if (locking.getMaxRetries() < 0) {
			throw new AsyncSqlConfigurationException(prefix + "max-retries", "must be >= 0 but was "
					+ locking.getMaxRetries(), "Set it to 0 (no retries) or more.");
		}
		if (locking.getRetryDelay().isNegative()) {
			throw new AsyncSqlConfigurationException(prefix + "retry-delay", "must not be negative but was "
					+ locking.getRetryDelay(), "Set a duration such as 100ms.");
		}
		if (!(locking.getRetryBackoffMultiplier() >= 1.0) || Double.isInfinite(locking.getRetryBackoffMultiplier())) {
			throw new AsyncSqlConfigurationException(prefix + "retry-backoff-multiplier", "must be >= 1 but was "
					+ locking.getRetryBackoffMultiplier(), "Set it to 1.0 for fixed delays or more, such as 2.0.");
		}
		if (locking.getConflictHistorySize() < 0) {
			throw new AsyncSqlConfigurationException(prefix + "conflict-history-size", "must be >= 0 but was "
					+ locking.getConflictHistorySize(), "Set how many recent conflicts to keep, such as 1000.");
		}
		if (locking.getMaxRetryDelay() == null || locking.getMaxRetryDelay().compareTo(locking.getRetryDelay()) < 0) {
			throw new AsyncSqlConfigurationException(prefix + "max-retry-delay", "must be at least retry-delay ("
					+ locking.getRetryDelay() + ") but was " + locking.getMaxRetryDelay(),
					"Set the longest wait between two attempts, such as 1s.");
		}
		return new LockingSettings(locking.getVersionField(), locking.getIdField(), locking.getMaxRetries(),
				locking.getRetryDelay(), locking.getRetryBackoffMultiplier(), locking.getDefaultConflictResolution(),
				locking.getConflictHistorySize(), locking.getMaxRetryDelay(), locking.isJitter());
	}

	private static void requireIdentifier(String property, String value) {
		if (value == null || !value.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
			throw new AsyncSqlConfigurationException(property, "is '" + value + "', which is not a plain column name",
					"Use letters, digits and '_', starting with a letter or '_'.");
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.aspectj.weaver.Advice")
	@ConditionalOnBooleanProperty(name = "asyncsql.locking.aspect-enabled", matchIfMissing = true)
	static class AspectConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OptimisticLockedAspect optimisticLockedAspect(OptimisticLockManager optimisticLockManager) {
			return new OptimisticLockedAspect(optimisticLockManager, Schedulers.parallel());
		}

	}

}
