package io.asyncsql.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.autoconfigure.AsyncSqlProperties.Node;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.pool.PoolKey;
import io.r2dbc.spi.ConnectionFactoryOptions;
import org.jspecify.annotations.Nullable;

/**
 * The nodes an application has and how they relate: their resolved settings, which one is primary, and which
 * nodes share a pool. Computed from the properties alone, so that beans can be registered before any node exists.
 *
 * @param settings every node's settings, in configuration order
 * @param primary the primary node, or {@code null} when there is none
 * @param poolGroups the nodes of each pool, keyed by the pool's name (its first node's name + {@code -pool})
 */
record NodeLayout(List<NodeSettings> settings, @Nullable String primary, Map<String, List<String>> poolGroups) {

	/**
	 * Lays out the configured nodes.
	 * @param properties the bound properties
	 * @param connectionDetails Spring Boot's connection details for the primary node when it names no target, or
	 * {@code null}; when they are only known to exist, pass a placeholder
	 * @return the layout
	 * @throws AsyncSqlConfigurationException when a value is invalid or several nodes claim to be primary
	 */
	static NodeLayout of(AsyncSqlProperties properties, @Nullable ConnectionFactoryOptions connectionDetails) {
		String primary = primary(properties.getNodes());
		NodeSettingsResolver resolver = new NodeSettingsResolver(properties.getDefaults());
		List<NodeSettings> settings = new ArrayList<>();
		properties.getNodes().forEach((name, node) -> settings.add(resolver.resolve(name, node,
				name.equals(primary) ? connectionDetails : null)));
		Map<PoolKey, String> sharedPools = new LinkedHashMap<>();
		Map<String, List<String>> groups = new LinkedHashMap<>();
		for (NodeSettings node : settings) {
			String pool = node.sharePool() ? sharedPools.computeIfAbsent(PoolKey.of(node), key -> node.name() + "-pool")
					: node.name() + "-pool";
			groups.computeIfAbsent(pool, key -> new ArrayList<>()).add(node.name());
		}
		return new NodeLayout(List.copyOf(settings), primary, groups);
	}

	/**
	 * Placeholder connection details: where the real ones are only available as a bean, later.
	 * @return options naming a target no real node has
	 */
	static ConnectionFactoryOptions deferredConnectionDetails() {
		return ConnectionFactoryOptions.builder()
			.option(ConnectionFactoryOptions.DRIVER, DatabaseType.POSTGRESQL.id())
			.option(ConnectionFactoryOptions.HOST, "connection-details")
			.option(ConnectionFactoryOptions.DATABASE, "connection-details")
			.build();
	}

	private static @Nullable String primary(Map<String, Node> nodes) {
		List<String> flagged = nodes.entrySet().stream().filter(entry -> entry.getValue().isPrimary())
			.map(Map.Entry::getKey).toList();
		if (flagged.size() > 1) {
			throw new AsyncSqlConfigurationException("asyncsql.nodes." + flagged.get(1) + ".primary",
					"is true, but so is asyncsql.nodes." + flagged.get(0) + ".primary",
					"Mark at most one node with primary: true.");
		}
		if (flagged.size() == 1) {
			return flagged.get(0);
		}
		return (nodes.size() == 1) ? nodes.keySet().iterator().next() : null;
	}

	/** @return the first node of each pool, by pool name */
	Map<String, String> poolOwners() {
		Map<String, String> owners = new LinkedHashMap<>();
		this.poolGroups.forEach((pool, nodes) -> owners.put(pool, nodes.get(0)));
		return owners;
	}

}
