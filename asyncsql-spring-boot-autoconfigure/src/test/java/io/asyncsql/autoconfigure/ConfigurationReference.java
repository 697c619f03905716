package io.asyncsql.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders {@code docs/configuration.md}: every property of the configuration metadata (what the configuration
 * processor wrote, additional metadata included) with its type, default and meaning, grouped by section.
 * <p>
 * The processor does not describe the values of a map such as {@code asyncsql.nodes}, so the keys of one node are
 * read from the value class itself: its fields (names, types, initial values) by reflection and their javadoc from
 * the source file, the same text the processor turns into descriptions. A default written as "Default: x." in a
 * description becomes the default column.
 */
final class ConfigurationReference {

	/** What regenerates the document (clean: a change to the additional metadata alone recompiles nothing). */
	static final String REGENERATE = "./mvnw -B -q clean test -pl asyncsql-spring-boot-autoconfigure -am "
			+ "-Dtest=ConfigurationReferenceTests -Dsurefire.failIfNoSpecifiedTests=false -Dasyncsql.docs.write=true";

	private static final Pattern DEFAULT_SENTENCE = Pattern.compile("\\s*Default: (.+?)\\.(?=\\s|$)");

	private static final Pattern CODE_TAG = Pattern.compile("\\{@(?:code|literal|link|linkplain) ([^}]*)}");

	private static final Pattern CLASS_DECLARATION = Pattern.compile("\\bclass\\s+(\\w+)");

	private static final Pattern FIELD_NAME = Pattern.compile("(\\w+)$");

	private static final Map<String, String> SECTION_INTROS = Map.of("asyncsql",
			"The switch for the whole library.", "asyncsql.defaults",
			"What every node inherits unless it sets its own value. Each key also applies to a single node as "
					+ "`asyncsql.nodes.<name>.<key>`, where the node's value wins; nested `retry` and `pool` settings "
					+ "are merged key by key.",
			"asyncsql.locking", "Optimistic locking: the `OptimisticLockManager` bean and `@OptimisticLocked`.");

	private final JsonNode metadata;

	private final Map<String, List<String>> hints = new HashMap<>();

	private final Path sourceRoot;

	ConfigurationReference(JsonNode metadata, Path sourceRoot) {
		this.metadata = metadata;
		this.sourceRoot = sourceRoot;
		for (JsonNode hint : metadata.path("hints")) {
			List<String> values = new ArrayList<>();
			hint.path("values").forEach((value) -> values.add(value.get("value").asString()));
			this.hints.put(hint.get("name").asString(), values);
		}
	}

	/**
	 * Reads the metadata this module's build produced.
	 * @param sourceRoot the module's {@code src/main/java}, for the javadoc of map values
	 * @return the reference
	 * @throws IOException when the metadata cannot be read
	 */
	static ConfigurationReference fromBuild(Path sourceRoot) throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return new ConfigurationReference(JsonMapper.builder().build().readTree(in), sourceRoot);
		}
	}

	/** @return every property the document lists, by section, in document order */
	Map<String, List<Row>> sections() {
		Map<String, List<Row>> sections = new TreeMap<>(ConfigurationReference::compareSections);
		for (JsonNode property : this.metadata.path("properties")) {
			String name = property.get("name").asString();
			String type = property.path("type").asString("");
			Class<?> mapValue = mapValueOfThisModule(type);
			String description = property.path("description").asString("");
			String defaultValue = property.hasNonNull("defaultValue") ? property.get("defaultValue").toString() : null;
			if (defaultValue != null && property.get("defaultValue").isString()) {
				defaultValue = property.get("defaultValue").asString();
			}
			String deprecation = property.has("deprecation")
					? property.get("deprecation").path("replacement").asString("") : null;
			sections.computeIfAbsent(section(name), (key) -> new ArrayList<>())
				.add(row(name, typeName(type, name), defaultValue, description, deprecation));
			if (mapValue != null) {
				String prefix = name + ".<name>";
				sections.computeIfAbsent(prefix, (key) -> new ArrayList<>()).addAll(mapValueRows(prefix, name, mapValue));
			}
		}
		return sections;
	}

	/** @return the whole document */
	String render() {
		StringBuilder out = new StringBuilder();
		out.append("# Configuration reference\n\n");
		out.append("<!-- Generated from the configuration metadata; do not edit. Regenerate with:\n     ")
			.append(REGENERATE)
			.append(" -->\n\n");
		out.append("Every property asyncsql reads, with its type, its default and what it does. This page is generated "
				+ "from the configuration metadata the build produces (the same metadata IDEs complete `asyncsql.*` "
				+ "from), and a test fails when the two differ. Durations take a unit (`100ms`, `30s`, `5m`); enum "
				+ "values are written in lower case with dashes.\n");
		this.sections().forEach((section, rows) -> {
			out.append("\n## `").append(section).append("`\n\n");
			String intro = intro(section);
			if (intro != null) {
				out.append(intro).append("\n\n");
			}
			out.append("| property | type | default | meaning |\n|---|---|---|---|\n");
			for (Row row : rows) {
				out.append("| `").append(row.name()).append("` | ").append(row.type()).append(" | ")
					.append(row.defaultValue()).append(" | ").append(row.meaning()).append(" |\n");
			}
		});
		return out.toString();
	}

	private String intro(String section) {
		if (SECTION_INTROS.containsKey(section)) {
			return SECTION_INTROS.get(section);
		}
		if (section.equals("asyncsql.nodes.<name>")) {
			return "One node, named by its key (the bean name and the `node` metric tag). Besides these keys a node "
					+ "takes every key of [`asyncsql.defaults`](#asyncsqldefaults), which it then sets for itself "
					+ "alone.";
		}
		return null;
	}

	/**
	 * The keys of one map value: the fields its class declares. Inherited ones (a node's options, which
	 * {@code asyncsql.defaults} documents) are referred to by the section's introduction, not repeated.
	 */
	private List<Row> mapValueRows(String prefix, String mapName, Class<?> valueType) {
		Map<String, String> javadoc = fieldJavadoc(valueType);
		Object initial = instantiate(valueType);
		List<Row> rows = new ArrayList<>();
		for (Field field : valueType.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			String key = kebab(field.getName());
			String description = javadoc.get(field.getName());
			if (description == null) {
				throw new IllegalStateException("The field " + valueType.getSimpleName() + "." + field.getName()
						+ " has no javadoc in " + sourceFile(valueType) + ": describe it, the IDE and the "
						+ "configuration reference show that text");
			}
			String type = typeName(field.getGenericType().getTypeName().replace(" ", ""), mapName + ".values." + key);
			rows.add(row(prefix + "." + key, type, initialValue(field, initial), description, null));
		}
		rows.sort((a, b) -> a.name().compareTo(b.name()));
		return rows;
	}

	private static Row row(String name, String type, String defaultValue, String description, String deprecation) {
		String meaning = CODE_TAG.matcher(description.strip()).replaceAll((match) -> "`" + match.group(1) + "`");
		Matcher stated = DEFAULT_SENTENCE.matcher(meaning);
		String shown = (defaultValue != null) ? "`" + defaultValue + "`" : "";
		if (stated.find()) {
			if (defaultValue == null) {
				String value = stated.group(1);
				shown = value.matches("[\\w.+-]+") ? "`" + value + "`" : value;
			}
			meaning = (meaning.substring(0, stated.start()) + meaning.substring(stated.end())).strip();
		}
		if (shown.isEmpty()) {
			shown = "none";
		}
		if (deprecation != null) {
			meaning = "**Deprecated**" + (deprecation.isEmpty() ? "" : ", use `" + deprecation + "`") + ". " + meaning;
		}
		return new Row(name, type, shown, meaning.replace("|", "\\|").replace("\n", " "));
	}

	private String typeName(String javaType, String hintName) {
		List<String> values = this.hints.get(hintName);
		Class<?> type = load(javaType);
		if (type != null && type.isEnum()) {
			if (values == null) {
				values = Arrays.stream(type.getEnumConstants())
					.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
					.toList();
			}
			return String.join(" \\| ", values.stream().map((value) -> "`" + value + "`").toList());
		}
		return switch (javaType) {
			case "java.lang.Boolean", "boolean" -> "boolean";
			case "java.lang.Integer", "int", "java.lang.Long", "long" -> "integer";
			case "java.lang.Double", "double", "java.lang.Float", "float" -> "number";
			case "java.lang.String" -> "string";
			case "java.time.Duration" -> "duration";
			case "org.springframework.util.unit.DataSize" -> "data size";
			case "java.util.Map<java.lang.String,java.lang.String>" -> "map of string to string";
			case "java.util.List<java.lang.String>", "java.util.Set<java.lang.String>" -> "list of strings";
			default -> (mapValueOfThisModule(javaType) != null) ? "map of name to the keys below"
					: "`" + javaType.replace('$', '.') + "`";
		};
	}

	private static Class<?> mapValueOfThisModule(String javaType) {
		Matcher map = Pattern.compile("java\\.util\\.Map<java\\.lang\\.String,(io\\.asyncsql\\.[\\w.$]+)>").matcher(javaType);
		if (!map.matches()) {
			return null;
		}
		Class<?> value = load(map.group(1));
		return (value != null && !value.isEnum()) ? value : null;
	}

	private static Class<?> load(String javaType) {
		if (javaType.contains("<")) {
			return null;
		}
		try {
			return Class.forName(javaType, false, ConfigurationReference.class.getClassLoader());
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static Object instantiate(Class<?> type) {
		try {
			var constructor = type.getDeclaredConstructor();
			constructor.setAccessible(true);
			return constructor.newInstance();
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(type.getName() + " needs a no-argument constructor to be bound", ex);
		}
	}

	private static String initialValue(Field field, Object instance) {
		try {
			field.setAccessible(true);
			Object value = field.get(instance);
			if (value == null || (value instanceof Map<?, ?> map && map.isEmpty())
					|| (value instanceof java.util.Collection<?> collection && collection.isEmpty())) {
				return null;
			}
			Type type = field.getGenericType();
			boolean simple = !(type instanceof ParameterizedType) && (field.getType().isPrimitive()
					|| value instanceof Number || value instanceof Boolean || value instanceof CharSequence);
			return simple ? value.toString() : null;
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The javadoc of each field declared directly in a class, read from its source file (comments and strings skipped). */
	private Map<String, String> fieldJavadoc(Class<?> type) {
		String source;
		try {
			source = Files.readString(sourceFile(type), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read the source of " + type.getName() + " at " + sourceFile(type), ex);
		}
		Map<String, String> javadoc = new LinkedHashMap<>();
		Deque<String> classes = new ArrayDeque<>();
		String pendingClass = null;
		String pendingJavadoc = null;
		StringBuilder statement = new StringBuilder();
		int i = 0;
		while (i < source.length()) {
			char c = source.charAt(i);
			if (source.startsWith("/**", i)) {
				int end = source.indexOf("*/", i + 3);
				pendingJavadoc = source.substring(i + 3, end);
				statement.setLength(0);
				i = end + 2;
			}
			else if (source.startsWith("/*", i)) {
				i = source.indexOf("*/", i + 2) + 2;
			}
			else if (source.startsWith("//", i)) {
				int end = source.indexOf('\n', i);
				i = (end < 0) ? source.length() : end;
			}
			else if (c == '"' || c == '\'') {
				int end = i + 1;
				while (source.charAt(end) != c) {
					end += (source.charAt(end) == '\\') ? 2 : 1;
				}
				statement.append("\"\"");
				i = end + 1;
			}
			else if (c == '{') {
				Matcher declared = CLASS_DECLARATION.matcher(statement);
				pendingClass = declared.find() ? declared.group(1) : null;
				classes.push((pendingClass != null) ? pendingClass : "");
				statement.setLength(0);
				pendingJavadoc = null;
				i++;
			}
			else if (c == '}') {
				classes.pop();
				statement.setLength(0);
				pendingJavadoc = null;
				i++;
			}
			else if (c == ';') {
				// a field: no parameter list before its initializer, not static
				String declaration = statement.toString().replaceAll("(?s)=.*", "").strip();
				if (pendingJavadoc != null && type.getSimpleName().equals(classes.peek()) && !declaration.contains("(")
						&& !(" " + declaration + " ").contains(" static ")) {
					Matcher field = FIELD_NAME.matcher(declaration);
					if (field.find()) {
						javadoc.put(field.group(1), clean(pendingJavadoc));
					}
				}
				statement.setLength(0);
				pendingJavadoc = null;
				i++;
			}
			else {
				statement.append(c);
				i++;
			}
		}
		return javadoc;
	}

	private static String clean(String javadoc) {
		return Arrays.stream(javadoc.split("\n"))
			.map((line) -> line.strip().replaceFirst("^\\*\\s?", ""))
			.filter((line) -> !line.startsWith("@"))
			.collect(Collectors.joining(" "))
			.replaceAll("\\s+", " ")
			.strip();
	}

	private Path sourceFile(Class<?> type) {
		Class<?> top = type;
		while (top.getEnclosingClass() != null) {
			top = top.getEnclosingClass();
		}
		return this.sourceRoot.resolve(top.getName().replace('.', '/') + ".java");
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/**
	 * {@code asyncsql} for top-level keys, else the first two segments; Spring Boot's own namespaces
	 * ({@code management.endpoint.asyncsql.*} and the like) by their first three.
	 */
	private static String section(String name) {
		String[] parts = name.split("\\.");
		if (!parts[0].equals("asyncsql")) {
			return String.join(".", Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
		}
		return (parts.length <= 2) ? "asyncsql" : parts[0] + "." + parts[1];
	}

	/** {@code asyncsql} first, then its sections alphabetically (a map's values right after the map), others last. */
	private static int compareSections(String a, String b) {
		boolean ownA = a.equals("asyncsql") || a.startsWith("asyncsql.");
		boolean ownB = b.equals("asyncsql") || b.startsWith("asyncsql.");
		if (ownA != ownB) {
			return ownA ? -1 : 1;
		}
		return a.compareTo(b);
	}

	/** One line of a table. */
	record Row(String name, String type, String defaultValue, String meaning) {
	}

}
