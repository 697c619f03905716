package io.asyncsql.autoconfigure.actuate;

import java.util.List;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.node.DefaultAsyncSqlNode;
import io.asyncsql.core.routing.ReplicaSet;
import org.jspecify.annotations.Nullable;

/**
 * One read replica of a node as health and the endpoint show it.
 *
 * @param name the replica's name, {@code <node>-replica-<n>}
 * @param target where it is, without a password
 * @param serving whether it serves reads now (reachable, in recovery, within the lag bound)
 * @param lagSeconds its replay lag at the last probe, or {@code null} when it could not be probed
 */
public record ReplicaDescriptor(String name, String target, boolean serving, @Nullable Double lagSeconds) {

	/**
	 * The replicas of a node.
	 * @param node the node
	 * @return its replicas, empty when it has none
	 */
	public static List<ReplicaDescriptor> of(AsyncSqlNode node) {
		ReplicaSet replicas = (node instanceof DefaultAsyncSqlNode own) ? own.replicas() : null;
		if (replicas == null) {
			return List.of();
		}
		return replicas.replicas().stream().map(replica -> new ReplicaDescriptor(replica.name(), replica.target(),
				replica.serving(), Double.isNaN(replica.lagSeconds()) ? null : replica.lagSeconds())).toList();
	}

}
