package io.asyncsql.core.json;

/**
 * Converts between Java values and JSON text for {@code json}/{@code jsonb} parameters and columns.
 * {@link #detect()} picks Jackson 3, then Jackson 2, from the class path; Spring Boot applications get the
 * application's own mapper.
 */
public interface JsonCodec {

	/**
	 * Serializes a value (map, list, record, bean, or a Jackson tree node of either generation) to JSON text.
	 * @param value the value
	 * @return the JSON text
	 * @throws IllegalArgumentException when the value cannot be serialized; the message names its type but never
	 * contains the value
	 */
	String write(Object value);

	/**
	 * Parses JSON text into maps, lists, strings, numbers, booleans and nulls.
	 * @param json the text
	 * @return the parsed value
	 * @throws IllegalArgumentException when the text is not valid JSON
	 */
	Object read(String json);

	/**
	 * Whether a value is a JSON tree, which always binds as JSON. The Jackson codecs recognise the {@code JsonNode}
	 * of both Jackson generations, so an application holding Jackson 2 trees can use the Jackson 3 codec (and the
	 * other way round); {@link #write(Object)} writes such a foreign tree as its own JSON text.
	 * @param value a value
	 * @return {@code true} for tree nodes
	 */
	boolean isTree(Object value);

	/** @return whether the codec can convert at all ({@code false} for {@link #NONE}) */
	default boolean isAvailable() {
		return true;
	}

	/** A codec for when no JSON library is present: JSON columns stay text and JSON parameters are refused. */
	JsonCodec NONE = new JsonCodec() {

		@Override
		public String write(Object value) {
			throw new IllegalArgumentException("no JSON library on the class path: add tools.jackson.core:jackson-databind "
					+ "or pass JSON text with a jsonb type hint");
		}

		@Override
		public Object read(String json) {
			return json;
		}

		@Override
		public boolean isTree(Object value) {
			return false;
		}

		@Override
		public boolean isAvailable() {
			return false;
		}

	};

	/**
	 * The codec for the libraries on the class path: Jackson 3, else Jackson 2, else {@link #NONE}.
	 * @return the codec
	 */
	static JsonCodec detect() {
		ClassLoader loader = JsonCodec.class.getClassLoader();
		if (isPresent("tools.jackson.databind.json.JsonMapper", loader)) {
			return Jackson3JsonCodec.withDefaultMapper();
		}
		if (isPresent("com.fasterxml.jackson.databind.ObjectMapper", loader)) {
			return Jackson2JsonCodec.withDefaultMapper();
		}
		return NONE;
	}

	private static boolean isPresent(String className, ClassLoader loader) {
		try {
			Class.forName(className, false, loader);
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
