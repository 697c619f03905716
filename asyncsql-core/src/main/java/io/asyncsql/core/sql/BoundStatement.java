package io.asyncsql.core.sql;

/**
 * A statement ready to send: the SQL with the dialect's bind markers and the values for them, in marker order.
 * Nulls are {@link NullBind}s.
 *
 * @param sql the SQL to send
 * @param values the values by marker slot
 * @param template the template it came from
 */
public record BoundStatement(String sql, Object[] values, SqlTemplate template) {

	@Override
	public String toString() {
		// values are left out on purpose: they may be personal or secret
		return "BoundStatement[sql=" + this.sql + ", values=" + this.values.length + "]";
	}

}
