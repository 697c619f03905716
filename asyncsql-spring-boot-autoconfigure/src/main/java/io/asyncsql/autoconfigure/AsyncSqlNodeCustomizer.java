package io.asyncsql.autoconfigure;

import io.asyncsql.core.NodeSettings;

/**
 * Changes a node's settings after they are read from {@code asyncsql.*} and before the node is built, for what
 * configuration cannot express (credentials from a vault, a computed pool size). Every customizer bean is called
 * for every node, in {@link org.springframework.core.Ordered} / {@code @Order} order; later ones see earlier changes.
 * <p>
 * The node's name cannot change: bean names are fixed before customizers run. A customizer that throws stops the
 * startup with its exception.
 */
@FunctionalInterface
public interface AsyncSqlNodeCustomizer {

	/**
	 * Customizes one node, for example
	 * {@code settings.toBuilder().pool(settings.pool().toBuilder().maxSize(20).build()).build()}.
	 * @param settings the node's settings: resolved from its properties and {@code asyncsql.defaults}, then changed
	 * by the customizers ordered before this one
	 * @return the settings to build the node with ({@code settings} itself to change nothing)
	 */
	NodeSettings customize(NodeSettings settings);

}
