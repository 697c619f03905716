package io.asyncsql.core.sql;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.asyncsql.core.ParameterBindingException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a template and parameter values into a {@link BoundStatement}: checks that every {@code :name} has a value
 * and every value a {@code :name}, replaces names by the dialect's markers (never inside literals or comments,
 * since it works on tokens), applies type hints as casts on the markers, expands collections in
 * {@code IN ( :list )} and converts values through the dialect. Thread-safe.
 */
public final class ParameterBinder {

	private static final Logger logger = LoggerFactory.getLogger(ParameterBinder.class);

	private final BindingRules rules;

	/**
	 * Creates a binder.
	 * @param rules the dialect's binding rules
	 */
	public ParameterBinder(BindingRules rules) {
		this.rules = rules;
	}

	/**
	 * Binds named parameters.
	 * @param template the statement
	 * @param params values by name
	 * @param nodeHints the node's type hints
	 * @param queryHints the query's type hints, which win over the node's
	 * @param nodeName the node, for error messages
	 * @param maxBindValues the most values allowed
	 * @return the bound statement
	 * @throws ParameterBindingException when a value is missing, unused or not bindable, a hint is invalid, or
	 * there are too many values
	 */
	public BoundStatement bindNamed(SqlTemplate template, Map<String, ?> params, Map<String, String> nodeHints,
			Map<String, String> queryHints, String nodeName, int maxBindValues) {
		Map<String, Integer> names = template.parameterIndexes();
		if (!names.isEmpty() && template.positionalMarkers() > 0) {
			throw new ParameterBindingException("Statement on node '" + nodeName
					+ "' mixes :name parameters and positional markers; use one style", nodeName, null, null);
		}
		if (template.positionalMarkers() > 0) {
			// a marker has no name to look up: without this it would be bound to null, or fail on an immutable map
			throw new ParameterBindingException("Statement on node '" + nodeName + "' has " + template.positionalMarkers()
					+ " positional markers but no positional values were given; pass them with Query.positional(...) "
					+ "or execute(sql, List)", nodeName, null, null);
		}
		List<String> order = template.parameterNames();
		// one lookup per name: the values found here are converted in place on the fast path
		Object[] values = new Object[order.size()];
		for (int i = 0; i < values.length; i++) {
			String name = order.get(i);
			Object value = params.get(name);
			if (value == null && !params.containsKey(name)) {
				throw new ParameterBindingException("Missing value for parameter ':" + name + "' on node '" + nodeName
						+ "'", nodeName, name, null);
			}
			values[i] = value;
		}
		if (params.size() != names.size()) {
			for (String name : params.keySet()) {
				if (!names.containsKey(name)) {
					throw new ParameterBindingException("Unknown parameter '" + name + "' on node '" + nodeName
							+ "': the statement has no :" + name + " (its parameters are " + names.keySet() + ")",
							nodeName, name, null);
				}
			}
		}
		Map<String, String> hints = effectiveHints(names, nodeHints, queryHints, nodeName);
		if (!needsExpansion(template, params) && this.rules.reusableMarkers()) {
			String sql = template.cachedRendering(hints);
			if (sql != null) {
				for (int i = 0; i < values.length; i++) {
					String name = order.get(i);
					values[i] = convertNamed(name, values[i], hints.get(name), nodeName);
				}
				return checked(new BoundStatement(sql, values, order, template), nodeName, maxBindValues);
			}
			BoundStatement bound = render(template, params, hints, nodeName);
			template.cacheRendering(hints, bound.sql());
			return checked(bound, nodeName, maxBindValues);
		}
		return checked(render(template, params, hints, nodeName), nodeName, maxBindValues);
	}

	/**
	 * Binds positional parameters; the SQL is sent as written.
	 * @param template the statement, with {@code $n} or {@code ?} markers
	 * @param values the values in order
	 * @param nodeName the node, for error messages
	 * @param maxBindValues the most values allowed
	 * @return the bound statement
	 * @throws ParameterBindingException when the number of values does not match the markers, or a marker's number
	 * is above {@code maxBindValues}
	 */
	public BoundStatement bindPositional(SqlTemplate template, List<?> values, String nodeName, int maxBindValues) {
		if (template.hasNamedParameters()) {
			throw new ParameterBindingException("Statement on node '" + nodeName + "' uses :name parameters "
					+ template.parameterIndexes().keySet() + " but positional values were given", nodeName, null, null);
		}
		int expected = this.rules.reusableMarkers() ? template.maxPositional() : template.positionalMarkers();
		if (this.rules.reusableMarkers() && expected > maxBindValues) {
			throw new ParameterBindingException("Statement on node '" + nodeName + "' has a positional marker $"
					+ ((expected == Integer.MAX_VALUE) ? "beyond " + Integer.MAX_VALUE : expected)
					+ ", so it needs that many bind values; the node allows at most " + maxBindValues
					+ " (max-bind-values)", nodeName, null, null);
		}
		if (values.size() < expected) {
			String missing = this.rules.reusableMarkers() ? "$" + (values.size() + 1) : "marker " + (values.size() + 1);
			throw new ParameterBindingException("Missing value for positional parameter " + missing + " on node '"
					+ nodeName + "': the statement needs " + expected + " values but " + values.size() + " were given",
					nodeName, String.valueOf(values.size() + 1), null);
		}
		if (values.size() > expected) {
			throw new ParameterBindingException("Too many positional values on node '" + nodeName
					+ "': the statement has " + expected + " markers but " + values.size() + " values were given",
					nodeName, String.valueOf(expected + 1), null);
		}
		Object[] converted = new Object[values.size()];
		for (int i = 0; i < converted.length; i++) {
			converted[i] = convert(String.valueOf(i + 1), true, values.get(i), null, nodeName);
		}
		return checked(new BoundStatement(template.sendableSql(), converted, List.of(), template), nodeName, maxBindValues);
	}

	private Map<String, String> effectiveHints(Map<String, Integer> names, Map<String, String> nodeHints,
			Map<String, String> queryHints, String nodeName) {
		if (nodeHints.isEmpty() && queryHints.isEmpty()) {
			return Map.of();
		}
		if (!this.rules.supportsTypeHints()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Node '{}': the dialect does not apply parameter type hints; ignoring them", nodeName);
			}
			return Map.of();
		}
		// a query's hints are all checked, used or not: a bad one is a mistake worth hearing about at once
		queryHints.forEach((name, hint) -> checkHint(name, hint, nodeName));
		Map<String, String> hints = null;
		for (String name : names.keySet()) {
			String hint = queryHints.get(name);
			if (hint == null) {
				hint = nodeHints.get(name);
				if (hint != null) {
					checkHint(name, hint, nodeName);
				}
			}
			if (hint != null) {
				if (hints == null) {
					hints = new HashMap<>();
				}
				hints.put(name, hint);
			}
		}
		return (hints != null) ? hints : Map.of();
	}

	private void checkHint(String name, String hint, String nodeName) {
		try {
			this.rules.checkTypeHint(hint);
		}
		catch (IllegalArgumentException ex) {
			throw new ParameterBindingException("Invalid type hint for parameter ':" + name + "' on node '" + nodeName
					+ "': " + ex.getMessage(), nodeName, name, null);
		}
	}

	private boolean needsExpansion(SqlTemplate template, Map<String, ?> params) {
		for (Placeholder placeholder : template.placeholders()) {
			if (placeholder.inList() && isCollection(params.get(placeholder.name()))) {
				return true;
			}
		}
		return false;
	}

	private BoundStatement render(SqlTemplate template, Map<String, ?> params, Map<String, String> hints,
			String nodeName) {
		String sql = template.sql();
		List<SqlToken> tokens = template.tokens();
		StringBuilder rendered = new StringBuilder(sql.length() + 16);
		List<Object> values = new ArrayList<>();
		List<String> slotNames = new ArrayList<>();
		Map<String, Integer> slots = this.rules.reusableMarkers() ? new LinkedHashMap<>() : null;
		int last = 0;
		for (Placeholder placeholder : template.placeholders()) {
			String name = placeholder.name();
			SqlToken token = tokens.get(placeholder.tokenIndex());
			Object value = params.get(name);
			String hint = hints.get(name);
			if (placeholder.inList() && isCollection(value)) {
				List<?> elements = elements(value);
				if (elements.isEmpty()) {
					template.appendText(rendered, last, tokens.get(placeholder.listStart()).start());
					rendered.append(this.rules.emptyInList(placeholder.negated()));
					last = tokens.get(placeholder.listEnd()).end();
					continue;
				}
				template.appendText(rendered, last, token.start());
				for (int i = 0; i < elements.size(); i++) {
					values.add(convertNamed(name, elements.get(i), hint, nodeName));
					slotNames.add(name);
					String marker = this.rules.marker(values.size() - 1);
					rendered.append((i > 0) ? ", " : "").append((hint != null) ? this.rules.castMarker(marker, hint) : marker);
				}
				last = token.end();
				continue;
			}
			template.appendText(rendered, last, token.start());
			Integer slot = (slots != null) ? slots.get(name) : null;
			if (slot == null) {
				values.add(convertNamed(name, value, hint, nodeName));
				slotNames.add(name);
				slot = values.size() - 1;
				if (slots != null) {
					slots.put(name, slot);
				}
			}
			String marker = this.rules.marker(slot);
			if (hint == null || placeholder.castFollows()) {
				rendered.append(marker);
			}
			else if (placeholder.subscriptFollows()) {
				rendered.append('(').append(this.rules.castMarker(marker, hint)).append(')');
			}
			else {
				rendered.append(this.rules.castMarker(marker, hint));
			}
			last = token.end();
		}
		template.appendText(rendered, last, sql.length());
		return new BoundStatement(rendered.toString(), values.toArray(), List.copyOf(slotNames), template);
	}

	private Object convertNamed(String name, @Nullable Object value, @Nullable String hint, String nodeName) {
		return convert(name, false, value, hint, nodeName);
	}

	private Object convert(String parameter, boolean positional, @Nullable Object value, @Nullable String hint,
			String nodeName) {
		if (value == null) {
			return this.rules.nullValue(hint);
		}
		try {
			return this.rules.toBindValue(value, hint);
		}
		catch (IllegalArgumentException ex) {
			// the rules' messages name types, never values
			throw new ParameterBindingException("Cannot bind " + label(parameter, positional) + " on node '" + nodeName
					+ "': " + ex.getMessage(), nodeName, parameter, ex);
		}
		catch (RuntimeException ex) {
			// an unexpected failure's message may quote the value: name only what failed
			throw new ParameterBindingException("Cannot bind " + label(parameter, positional) + " on node '" + nodeName
					+ "': converting a " + value.getClass().getName() + " failed (" + ex.getClass().getName() + ")",
					nodeName, parameter, ex);
		}
		catch (StackOverflowError ex) {
			// a collection or map that contains itself, or nests deeper than the converters can follow
			throw new ParameterBindingException("Cannot bind " + label(parameter, positional) + " on node '" + nodeName
					+ "': the " + value.getClass().getName() + " nests too deeply or contains itself", nodeName,
					parameter, null);
		}
	}

	private static String label(String parameter, boolean positional) {
		return positional ? "positional parameter $" + parameter : "parameter ':" + parameter + "'";
	}

	private static BoundStatement checked(BoundStatement bound, String nodeName, int maxBindValues) {
		if (bound.values().length > maxBindValues) {
			throw new ParameterBindingException("Statement on node '" + nodeName + "' has " + bound.values().length
					+ " bind values; the node allows at most " + maxBindValues + " (max-bind-values)", nodeName, null,
					null);
		}
		return bound;
	}

	/**
	 * Whether a value is a collection or array that binds as a list (byte arrays bind as binary).
	 * @param value the value
	 * @return {@code true} for collections and non-byte arrays
	 */
	public static boolean isCollection(@Nullable Object value) {
		return value instanceof Collection<?> || (value != null && value.getClass().isArray() && !(value instanceof byte[]));
	}

	/**
	 * The elements of a collection or array.
	 * @param value a value for which {@link #isCollection(Object)} holds
	 * @return the elements in iteration order
	 */
	public static List<?> elements(Object value) {
		if (value instanceof List<?> list) {
			return list;
		}
		if (value instanceof Collection<?> collection) {
			return new ArrayList<>(collection);
		}
		int length = Array.getLength(value);
		List<Object> elements = new ArrayList<>(length);
		for (int i = 0; i < length; i++) {
			elements.add(Array.get(value, i));
		}
		return elements;
	}

}
