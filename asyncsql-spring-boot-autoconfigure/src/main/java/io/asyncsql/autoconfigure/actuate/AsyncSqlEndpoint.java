package io.asyncsql.autoconfigure.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.RetryConfig;
import io.asyncsql.locking.ConflictRecord;
import io.asyncsql.locking.LockMetrics;
import io.asyncsql.locking.OptimisticLockManager;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/asyncsql}: every node with its database type, target (never a password), transaction mode,
 * pool (and which nodes share it) with live figures, retry and validation settings, plus optimistic locking
 * metrics and recent conflicts. {@code /actuator/asyncsql/{node}} shows one node, or 404.
 */
@Endpoint(id = "asyncsql")
public class AsyncSqlEndpoint {

	/** Recent conflicts shown. */
	static final int RECENT_CONFLICTS = 20;

	private final AsyncSqlNodes nodes;

	private final @Nullable OptimisticLockManager locks;

	/**
	 * Creates the endpoint.
	 * @param nodes the nodes
	 * @param locks the lock manager, or {@code null}
	 */
	public AsyncSqlEndpoint(AsyncSqlNodes nodes, @Nullable OptimisticLockManager locks) {
		this.nodes = nodes;
		this.locks = locks;
	}

	/** @return every node and the locking figures */
	@ReadOperation
	public AsyncSqlDescriptor describe() {
		Map<String, NodeDescriptor> described = new LinkedHashMap<>();
		for (AsyncSqlNode node : this.nodes.all()) {
			described.put(node.name(), NodeDescriptor.of(node));
		}
		LockingDescriptor locking = (this.locks != null)
				? new LockingDescriptor(this.locks.metrics(), this.locks.conflictHistory(RECENT_CONFLICTS)) : null;
		return new AsyncSqlDescriptor(described, locking);
	}

	/**
	 * One node.
	 * @param name the node name
	 * @return the node, or {@code null} (404) when there is none
	 */
	@ReadOperation
	public @Nullable NodeDescriptor node(@Selector String name) {
		return this.nodes.names().contains(name) ? NodeDescriptor.of(this.nodes.node(name)) : null;
	}

	/**
	 * The endpoint's response.
	 *
	 * @param nodes the nodes by name
	 * @param locking optimistic locking figures, or {@code null}
	 */
	public record AsyncSqlDescriptor(Map<String, NodeDescriptor> nodes, @Nullable LockingDescriptor locking) {
	}

	/**
	 * One node.
	 *
	 * @param databaseType the database product
	 * @param target where it connects, without password
	 * @param transactionMode how calls relate to transactions
	 * @param timeout the statement timeout
	 * @param transactionTimeout the transaction timeout
	 * @param pool the pool and its figures
	 * @param retry the retry settings
	 * @param validation the validation settings
	 * @param parameterTypes configured type hints
	 * @param pooler the pooler between the node and its server ({@code none} or {@code transaction})
	 * @param replicas the read replicas with their lag, empty when there are none
	 */
	public record NodeDescriptor(String databaseType, String target, String transactionMode, Duration timeout,
			Duration transactionTimeout, PoolDescriptor pool, RetryConfig retry, ValidationDescriptor validation,
			Map<String, String> parameterTypes, String pooler, List<ReplicaDescriptor> replicas) {

		static NodeDescriptor of(AsyncSqlNode node) {
			NodeSettings settings = node.settings();
			return new NodeDescriptor(node.databaseType().id(), node.pool().target(),
					settings.transactionMode().name().toLowerCase(java.util.Locale.ROOT), settings.timeout(),
					settings.transactionTimeout(), PoolDescriptor.of(node.pool()), settings.retry(),
					new ValidationDescriptor(settings.validateQueries(), settings.allowAdmin(), settings.maxSqlLength(),
							settings.maxBindValues()),
					settings.parameterTypes(), settings.pooler().name().toLowerCase(java.util.Locale.ROOT),
					ReplicaDescriptor.of(node));
		}

	}

	/**
	 * Validation settings of a node.
	 *
	 * @param validateQueries whether statements are validated
	 * @param allowAdmin whether administrative statements pass
	 * @param maxSqlLength longest accepted SQL text
	 * @param maxBindValues most bind values per statement
	 */
	public record ValidationDescriptor(boolean validateQueries, boolean allowAdmin, int maxSqlLength, int maxBindValues) {
	}

	/**
	 * Optimistic locking figures.
	 *
	 * @param metrics totals since start
	 * @param recentConflicts the latest conflicts, newest first
	 */
	public record LockingDescriptor(LockMetrics metrics, List<ConflictRecord> recentConflicts) {
	}

}
