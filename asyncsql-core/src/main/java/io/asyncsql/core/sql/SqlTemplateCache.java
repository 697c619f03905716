package io.asyncsql.core.sql;

import io.asyncsql.core.cache.BoundedLruCache;

/**
 * Lexed templates by SQL text, bounded (least recently used texts are dropped first). One cache per dialect,
 * shared by all nodes of that dialect.
 */
public final class SqlTemplateCache {

	/** Default number of distinct SQL texts kept. */
	public static final int DEFAULT_CAPACITY = 2048;

	private final SqlLexer lexer;

	private final BoundedLruCache<String, SqlTemplate> templates;

	/**
	 * Creates a cache.
	 * @param lexer the dialect's lexer
	 * @param capacity the most texts kept
	 */
	public SqlTemplateCache(SqlLexer lexer, int capacity) {
		this.lexer = lexer;
		this.templates = new BoundedLruCache<>(capacity);
	}

	/**
	 * The template of a SQL text, lexed on first use.
	 * @param sql the text
	 * @return the template
	 */
	public SqlTemplate get(String sql) {
		return this.templates.get(sql, text -> SqlTemplate.parse(text, this.lexer));
	}

	/** @return the lexer templates are made with */
	public SqlLexer lexer() {
		return this.lexer;
	}

	/** @return the number of cached templates */
	public int size() {
		return this.templates.size();
	}

}
