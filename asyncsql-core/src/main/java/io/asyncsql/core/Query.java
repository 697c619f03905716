package io.asyncsql.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One statement with its parameters and execution options. Immutable: every method returns a new query.
 *
 * <pre>{@code
 * Query.of("SELECT * FROM users WHERE id = ANY(:ids)")
 *      .param("ids", List.of(1L, 2L))
 *      .fetchMode(FetchMode.MANY).fetchSize(50)
 *      .timeout(Duration.ofSeconds(2));
 * }</pre>
 *
 * Parameters are either named ({@code :name} in the SQL, given by {@link #param}/{@link #params(Map)}) or
 * positional ({@code $1}, or {@code ?} where the dialect uses it, given by {@link #positional(List)}); a query
 * uses one style.
 */
public final class Query {

	/**
	 * The longest timeout a query runs with: {@link Integer#MAX_VALUE} milliseconds (about 24.8 days), the most
	 * PostgreSQL's {@code statement_timeout} and H2's {@code QUERY_TIMEOUT} accept. A longer {@link #timeout(Duration)}
	 * is used as this.
	 */
	public static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

	private final String sql;

	private final Map<String, @Nullable Object> params;

	private final @Nullable List<@Nullable Object> positional;

	private final FetchMode fetchMode;

	private final int fetchSize;

	private final Map<String, String> parameterTypes;

	private final @Nullable Duration timeout;

	private Query(String sql, Map<String, @Nullable Object> params, @Nullable List<@Nullable Object> positional,
			FetchMode fetchMode, int fetchSize, Map<String, String> parameterTypes, @Nullable Duration timeout) {
		this.sql = sql;
		this.params = params;
		this.positional = positional;
		this.fetchMode = fetchMode;
		this.fetchSize = fetchSize;
		this.parameterTypes = parameterTypes;
		this.timeout = timeout;
	}

	/**
	 * A query of the given SQL with no parameters, {@link FetchMode#ALL}, and the node's timeout.
	 * @param sql the SQL text
	 * @return the query
	 * @throws NullPointerException when {@code sql} is {@code null}
	 */
	public static Query of(String sql) {
		Objects.requireNonNull(sql, "sql must not be null");
		return new Query(sql, Map.of(), null, FetchMode.ALL, 0, Map.of(), null);
	}

	/**
	 * Adds or replaces one named parameter.
	 * @param name the name used as {@code :name} in the SQL
	 * @param value the value, may be {@code null}
	 * @return the new query
	 * @throws IllegalStateException when the query already has positional parameters
	 */
	public Query param(String name, @Nullable Object value) {
		Objects.requireNonNull(name, "parameter name must not be null");
		requireNamedStyle();
		Map<String, @Nullable Object> copy = new LinkedHashMap<>(this.params);
		copy.put(name, value);
		return new Query(this.sql, Collections.unmodifiableMap(copy), null, this.fetchMode, this.fetchSize,
				this.parameterTypes, this.timeout);
	}

	/**
	 * Adds or replaces named parameters.
	 * @param params names to values; values may be {@code null}
	 * @return the new query
	 * @throws IllegalStateException when the query already has positional parameters
	 */
	public Query params(Map<String, ?> params) {
		Objects.requireNonNull(params, "params must not be null");
		requireNamedStyle();
		Map<String, @Nullable Object> copy = new LinkedHashMap<>(this.params);
		copy.putAll(params);
		return new Query(this.sql, Collections.unmodifiableMap(copy), null, this.fetchMode, this.fetchSize,
				this.parameterTypes, this.timeout);
	}

	/**
	 * Sets positional parameters for {@code $1..$n} (or {@code ?} markers).
	 * @param values the values in order; elements may be {@code null}
	 * @return the new query
	 * @throws IllegalStateException when the query already has named parameters
	 */
	public Query positional(List<?> values) {
		Objects.requireNonNull(values, "values must not be null");
		if (!this.params.isEmpty()) {
			throw new IllegalStateException("query already has named parameters; use one style per query");
		}
		return new Query(this.sql, Map.of(), Collections.unmodifiableList(new ArrayList<>(values)), this.fetchMode,
				this.fetchSize, this.parameterTypes, this.timeout);
	}

	private void requireNamedStyle() {
		if (this.positional != null) {
			throw new IllegalStateException("query already has positional parameters; use one style per query");
		}
	}

	/**
	 * Sets how many rows are materialized.
	 * @param fetchMode the mode; {@link FetchMode#MANY} needs a {@link #fetchSize(int)}
	 * @return the new query
	 */
	public Query fetchMode(FetchMode fetchMode) {
		return new Query(this.sql, this.params, this.positional, Objects.requireNonNull(fetchMode, "fetchMode"),
				this.fetchSize, this.parameterTypes, this.timeout);
	}

	/**
	 * Sets the row count for {@link FetchMode#MANY}; for the other modes a hint of how many rows to fetch per round
	 * trip.
	 * @param fetchSize rows, {@code >= 1}
	 * @return the new query
	 * @throws IllegalArgumentException when {@code fetchSize < 1}
	 */
	public Query fetchSize(int fetchSize) {
		if (fetchSize < 1) {
			throw new IllegalArgumentException("fetchSize must be >= 1 but was " + fetchSize);
		}
		return new Query(this.sql, this.params, this.positional, this.fetchMode, fetchSize, this.parameterTypes,
				this.timeout);
	}

	/**
	 * Sets type hints for this query, taking precedence over the node's {@code parameter-types}.
	 * @param parameterTypes parameter names to database type names, for example {@code data -> jsonb}
	 * @return the new query
	 */
	public Query parameterTypes(Map<String, String> parameterTypes) {
		return new Query(this.sql, this.params, this.positional, this.fetchMode, this.fetchSize,
				Map.copyOf(parameterTypes), this.timeout);
	}

	/**
	 * Sets this query's timeout instead of the node's.
	 * @param timeout a positive duration; one longer than {@link #MAX_TIMEOUT} is kept as {@link #MAX_TIMEOUT}
	 * @return the new query
	 * @throws IllegalArgumentException when the timeout is not positive
	 */
	public Query timeout(Duration timeout) {
		Objects.requireNonNull(timeout, "timeout");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive but was " + timeout);
		}
		return new Query(this.sql, this.params, this.positional, this.fetchMode, this.fetchSize,
				this.parameterTypes, (timeout.compareTo(MAX_TIMEOUT) > 0) ? MAX_TIMEOUT : timeout);
	}

	public String sql() {
		return this.sql;
	}

	/** @return the named parameters, in insertion order */
	public Map<String, @Nullable Object> params() {
		return this.params;
	}

	/** @return the positional parameters, or {@code null} when the query uses named ones */
	public @Nullable List<@Nullable Object> positionalParams() {
		return this.positional;
	}

	public FetchMode fetchMode() {
		return this.fetchMode;
	}

	/** @return the fetch size, or 0 when not set */
	public int fetchSize() {
		return this.fetchSize;
	}

	public Map<String, String> parameterTypes() {
		return this.parameterTypes;
	}

	/** @return this query's timeout, or {@code null} for the node's */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		// parameter values are deliberately left out: they may be personal or secret
		return "Query[sql=" + this.sql + ", params=" + this.params.keySet() + ", fetchMode=" + this.fetchMode
				+ ((this.fetchSize > 0) ? ", fetchSize=" + this.fetchSize : "") + "]";
	}

}
