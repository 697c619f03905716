package io.asyncsql.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Binds {@code asyncsql.*} strictly: a key no property matches (a typo such as {@code pool.max-sise}) stops the
 * startup with an {@link AsyncSqlConfigurationException} naming the key and the nearest valid one. Checked are the
 * application's own sources (configuration files, command-line arguments, test properties); the OS environment and
 * JVM system properties are not, since other tools share them. Keys that another {@code @ConfigurationProperties}
 * class declares in its configuration metadata are left to it.
 */
final class PropertyKeys {

	private static final String PREFIX = "asyncsql";

	private static final String WILDCARD = "*";

	private static final Pattern METADATA_NAME = Pattern.compile("\"name\"\\s*:\\s*\"(asyncsql\\.[^\"]+)\"");

	// every valid key as segments, "*" standing for a node name; a trailing "*" for a free-form map's keys
	private static final List<String[]> CATALOG = catalog();

	private PropertyKeys() {
	}

	/**
	 * Binds the properties, failing on unknown keys.
	 * @param binder the binder over the environment
	 * @return the properties
	 * @throws AsyncSqlConfigurationException for the first unknown key
	 */
	static AsyncSqlProperties bind(Binder binder) {
		try {
			return binder.bindOrCreate(PREFIX, Bindable.of(AsyncSqlProperties.class),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT, PropertyKeys::isChecked));
		}
		catch (BindException ex) {
			if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
				throw ex;
			}
			Set<String> declaredElsewhere = declaredElsewhere();
			List<String> unknown = unbound.getUnboundProperties().stream().map(ConfigurationProperty::getName)
				.map(Object::toString).filter(name -> !declaredElsewhere.contains(name)).sorted().toList();
			if (unknown.isEmpty()) {
				// only keys of other classes were left: bind leniently
				return binder.bindOrCreate(PREFIX, AsyncSqlProperties.class);
			}
			throw unknownKey(unknown);
		}
	}

	// the OS environment and JVM system properties are shared with other tools (ASYNCSQL_TEST_POSTGRES_URL, for one)
	private static boolean isChecked(ConfigurationPropertySource source) {
		Object underlying = source.getUnderlyingSource();
		String name = (underlying instanceof PropertySource<?> propertySource) ? propertySource.getName() : "";
		return !StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(name)
				&& !StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(name);
	}

	private static AsyncSqlConfigurationException unknownKey(List<String> unknown) {
		String key = unknown.get(0);
		String nearest = nearest(key);
		String others = (unknown.size() > 1) ? " (and " + (unknown.size() - 1) + " more unknown key"
				+ ((unknown.size() > 2) ? "s" : "") + ": " + String.join(", ", unknown.subList(1, unknown.size())) + ")"
				: "";
		String action = ((nearest != null) ? "Did you mean `" + lastSegments(nearest, key) + "` (" + nearest + ")? " : "")
				+ "Correct or remove the key; every setting is listed in docs/configuration.md.";
		return new AsyncSqlConfigurationException(key, "is not an asyncsql setting" + others, action);
	}

	// the part of the suggestion that differs from the key, e.g. max-size for asyncsql.nodes.x.pool.max-sise
	private static String lastSegments(String nearest, String key) {
		String[] a = nearest.split("\\.");
		String[] b = key.split("\\.");
		int first = 0;
		while (first < a.length && first < b.length && a[first].equals(b[first])) {
			first++;
		}
		return String.join(".", Arrays.copyOfRange(a, Math.min(first, a.length - 1), a.length));
	}

	/**
	 * The valid key nearest to an unknown one, with its own node name.
	 * @param key the unknown key
	 * @return the suggestion, or {@code null} when nothing is close
	 */
	static @Nullable String nearest(String key) {
		String[] segments = key.split("\\.");
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String[] candidate : CATALOG) {
			if (candidate.length != segments.length || WILDCARD.equals(candidate[candidate.length - 1])) {
				continue;
			}
			int distance = 0;
			for (int i = 0; i < segments.length && distance < bestDistance; i++) {
				if (!WILDCARD.equals(candidate[i])) {
					distance += distance(simplify(segments[i]), simplify(candidate[i]));
				}
			}
			if (distance < bestDistance) {
				bestDistance = distance;
				String[] named = candidate.clone();
				for (int i = 0; i < named.length; i++) {
					if (WILDCARD.equals(named[i])) {
						named[i] = segments[i];
					}
				}
				best = String.join(".", named);
			}
		}
		int allowed = Math.max(2, segments[segments.length - 1].length() / 3);
		return (best != null && bestDistance <= allowed) ? best : null;
	}

	private static String simplify(String segment) {
		return segment.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static List<String[]> catalog() {
		List<String[]> keys = new ArrayList<>();
		walk(AsyncSqlProperties.class, PREFIX, keys);
		return List.copyOf(keys);
	}

	private static void walk(Class<?> type, String path, List<String[]> keys) {
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getWriteMethod() == null) {
				continue;
			}
			String name = path + "." + kebab(property.getName());
			Class<?> valueType = property.getPropertyType();
			if (Map.class.isAssignableFrom(valueType)) {
				Class<?> values = ResolvableType.forMethodReturnType(property.getReadMethod()).asMap().resolveGeneric(1);
				if (values != null && isBean(values)) {
					walk(values, name + "." + WILDCARD, keys);
				}
				else {
					keys.add((name + "." + WILDCARD).split("\\."));
				}
			}
			else if (isBean(valueType)) {
				walk(valueType, name, keys);
			}
			else {
				keys.add(name.split("\\."));
			}
		}
	}

	private static boolean isBean(Class<?> type) {
		return type.getName().startsWith("io.asyncsql.") && !type.isEnum();
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	// keys under asyncsql. that other @ConfigurationProperties classes declare in their metadata
	private static Set<String> declaredElsewhere() {
		Set<String> names = new LinkedHashSet<>();
		try {
			Enumeration<URL> resources = PropertyKeys.class.getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json");
			while (resources.hasMoreElements()) {
				try (InputStream in = resources.nextElement().openStream()) {
					Matcher found = METADATA_NAME.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
					while (found.find()) {
						names.add(found.group(1));
					}
				}
			}
		}
		catch (IOException ex) {
			// without metadata every unbound key counts as unknown
		}
		return names;
	}

}
