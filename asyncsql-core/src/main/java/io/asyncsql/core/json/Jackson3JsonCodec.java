package io.asyncsql.core.json;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JsonCodec} on Jackson 3 ({@code tools.jackson}).
 */
public final class Jackson3JsonCodec implements JsonCodec {

	private final ObjectMapper mapper;

	/**
	 * Creates a codec on an application's mapper.
	 * @param mapper the mapper
	 */
	public Jackson3JsonCodec(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	static Jackson3JsonCodec withDefaultMapper() {
		return new Jackson3JsonCodec(JsonMapper.builder().build());
	}

	@Override
	public String write(Object value) {
		if (JacksonTrees.isJackson2Tree(value)) {
			return JacksonTrees.text(value);
		}
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " to JSON: "
					+ reason(ex), ex);
		}
	}

	@Override
	public Object read(String json) {
		try {
			return this.mapper.readValue(json, Object.class);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("invalid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public boolean isTree(Object value) {
		return value instanceof JsonNode || JacksonTrees.isJackson2Tree(value);
	}

	// definition problems describe types; anything else may quote what a getter or serializer said about the value
	private static String reason(JacksonException ex) {
		return (ex instanceof InvalidDefinitionException) ? ex.getOriginalMessage()
				: "serialization failed (" + ex.getClass().getSimpleName() + ")";
	}

}
