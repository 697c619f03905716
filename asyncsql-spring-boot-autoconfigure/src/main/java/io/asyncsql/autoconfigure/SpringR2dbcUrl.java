package io.asyncsql.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Says at startup which connection wins when both {@code spring.r2dbc.url} and asyncsql nodes are configured: the
 * nodes. Their pools are the application's connection factories, so Spring Boot's own connection factory, and with it
 * {@code spring.r2dbc.url}, is not used.
 */
final class SpringR2dbcUrl {

	private static final Logger logger = LoggerFactory.getLogger(AsyncSqlAutoConfiguration.class);

	static final String PROPERTY = "spring.r2dbc.url";

	private SpringR2dbcUrl() {
	}

	static void warnIfIgnored(Environment environment, NodeLayout layout) {
		if (layout.settings().isEmpty() || !environment.containsProperty(PROPERTY)) {
			return;
		}
		logger.warn(message(layout));
	}

	static String message(NodeLayout layout) {
		String winner = (layout.primary() != null) ? "the primary node '" + layout.primary() + "' ("
				+ layout.settings().stream().filter(node -> node.name().equals(layout.primary())).findFirst()
					.map(node -> node.connection().target()).orElse("?") + ") is the application's ConnectionFactory"
				: "the nodes' pools are the application's connection factories";
		return PROPERTY + " is set, but so is asyncsql.nodes: " + winner + " and " + PROPERTY + " is not used. "
				+ "To keep the nodes, remove " + PROPERTY + " (or give a node the same url). To use Spring Boot's "
				+ "connection factory instead, remove asyncsql.nodes or set asyncsql.enabled=false.";
	}

}
