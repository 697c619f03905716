package io.asyncsql.core.json;

import org.jspecify.annotations.Nullable;

/**
 * Recognises JSON trees of either Jackson generation without needing both on the class path. An application may
 * hold Jackson 2 trees ({@code com.fasterxml.jackson.databind.JsonNode}) while the library's codec runs on Jackson 3,
 * or the other way round; such trees still bind as JSON. A tree's {@code toString()} is its JSON text in both
 * generations, so a foreign tree needs no mapper of its own.
 */
final class JacksonTrees {

	private static final @Nullable Class<?> JACKSON2_NODE = load("com.fasterxml.jackson.databind.JsonNode");

	private static final @Nullable Class<?> JACKSON3_NODE = load("tools.jackson.databind.JsonNode");

	private JacksonTrees() {
	}

	static boolean isJackson2Tree(Object value) {
		return JACKSON2_NODE != null && JACKSON2_NODE.isInstance(value);
	}

	static boolean isJackson3Tree(Object value) {
		return JACKSON3_NODE != null && JACKSON3_NODE.isInstance(value);
	}

	/** The JSON text of a tree of either generation. */
	static String text(Object tree) {
		return tree.toString();
	}

	private static @Nullable Class<?> load(String className) {
		try {
			return Class.forName(className, false, JacksonTrees.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

}
