package io.asyncsql.core.sql;

/**
 * A {@code null} to bind, with the Java type the driver should declare for it ({@code Object} lets PostgreSQL
 * infer the type from the statement).
 *
 * @param type the declared type
 */
public record NullBind(Class<?> type) {

	/** A null whose type the server infers from the statement. */
	public static final NullBind UNTYPED = new NullBind(Object.class);

	/** A null declared as text, for drivers that need a concrete type to encode it. */
	public static final NullBind STRING = new NullBind(String.class);

}
