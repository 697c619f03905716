package io.asyncsql.core.sql;

import java.util.List;

/**
 * A statement ready to send: the SQL with the dialect's bind markers and the values for them, in marker order.
 * Nulls are {@link NullBind}s.
 *
 * @param sql the SQL to send
 * @param values the values by marker slot
 * @param slotNames for named parameters, the parameter each slot binds (an expanded {@code IN} list fills several
 * slots with one name); empty for positional parameters
 * @param template the template it came from
 */
public record BoundStatement(String sql, Object[] values, List<String> slotNames, SqlTemplate template) {

	/**
	 * How error messages name the parameter behind a bind marker.
	 * @param slot the 0-based slot ({@code $1} is slot 0)
	 * @return {@code :name} for named parameters, {@code $n} otherwise
	 */
	public String parameterLabel(int slot) {
		return (slot >= 0 && slot < this.slotNames.size()) ? ":" + this.slotNames.get(slot) : "$" + (slot + 1);
	}

	@Override
	public String toString() {
		// values are left out on purpose: they may be personal or secret
		return "BoundStatement[sql=" + this.sql + ", values=" + this.values.length + "]";
	}

}
