package io.asyncsql.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.asyncsql.core.pool.ConnectionPools;

/**
 * The registry of an application's nodes, which owns their lifecycle: it builds every node over one shared
 * {@link ConnectionPools} (so nodes with equal settings share a pool) and closes nodes and pools together.
 */
public final class AsyncSqlNodes implements AutoCloseable {

	private final Map<String, AsyncSqlNode> nodes;

	private final ConnectionPools pools;

	private AsyncSqlNodes(Map<String, AsyncSqlNode> nodes, ConnectionPools pools) {
		this.nodes = Collections.unmodifiableMap(nodes);
		this.pools = pools;
	}

	/**
	 * Builds a node for each settings, in order, over a shared pool registry. If building one fails, the nodes
	 * already built are closed before the failure is rethrown.
	 * @param settings the node settings; names must be unique
	 * @param pools the pool registry, closed with this registry
	 * @param customizer completes each node's builder (metrics, JSON codec...); receives the builder with the pool
	 * registry already set
	 * @return the registry
	 * @throws IllegalArgumentException when two settings share a name
	 */
	public static AsyncSqlNodes create(Collection<NodeSettings> settings, ConnectionPools pools,
			Function<AsyncSqlNode.Builder, AsyncSqlNode.Builder> customizer) {
		Map<String, AsyncSqlNode> nodes = new LinkedHashMap<>();
		try {
			for (NodeSettings node : settings) {
				if (nodes.containsKey(node.name())) {
					throw new IllegalArgumentException("two nodes are named '" + node.name() + "'");
				}
				nodes.put(node.name(), customizer.apply(AsyncSqlNode.builder(node).pools(pools)).build());
			}
		}
		catch (RuntimeException ex) {
			nodes.values().forEach(AsyncSqlNode::close);
			pools.close();
			throw ex;
		}
		return new AsyncSqlNodes(nodes, pools);
	}

	/**
	 * A node by name.
	 * @param name the node name
	 * @return the node
	 * @throws IllegalArgumentException when there is no such node; the message lists the known names
	 */
	public AsyncSqlNode node(String name) {
		AsyncSqlNode node = this.nodes.get(name);
		if (node == null) {
			throw new IllegalArgumentException("no asyncsql node named '" + name + "'; configured nodes: " + names());
		}
		return node;
	}

	/** @return the node names in configuration order */
	public Set<String> names() {
		return this.nodes.keySet();
	}

	/** @return every node in configuration order */
	public Collection<AsyncSqlNode> all() {
		return this.nodes.values();
	}

	/** @return the pools the nodes run on */
	public ConnectionPools pools() {
		return this.pools;
	}

	/** Closes every node and then every pool. Idempotent. */
	@Override
	public void close() {
		List<AsyncSqlNode> all = new ArrayList<>(this.nodes.values());
		Collections.reverse(all);
		all.forEach(AsyncSqlNode::close);
		this.pools.close();
	}

}
