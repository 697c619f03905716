package io.asyncsql.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;

/**
 * {@link JsonCodec} on Jackson 2 ({@code com.fasterxml.jackson}).
 */
public final class Jackson2JsonCodec implements JsonCodec {

	private final ObjectMapper mapper;

	/**
	 * Creates a codec on an application's mapper.
	 * @param mapper the mapper
	 */
	public Jackson2JsonCodec(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	static Jackson2JsonCodec withDefaultMapper() {
		return new Jackson2JsonCodec(new ObjectMapper().findAndRegisterModules());
	}

	@Override
	public String write(Object value) {
		if (JacksonTrees.isJackson3Tree(value)) {
			return JacksonTrees.text(value);
		}
		try {
			return this.mapper.writeValueAsString(value);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("cannot serialize " + value.getClass().getName() + " to JSON: "
					+ reason(ex), ex);
		}
	}

	@Override
	public Object read(String json) {
		try {
			return this.mapper.readValue(json, Object.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("invalid JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public boolean isTree(Object value) {
		return value instanceof JsonNode || JacksonTrees.isJackson3Tree(value);
	}

	// definition problems describe types; anything else may quote what a getter or serializer said about the value
	private static String reason(JsonProcessingException ex) {
		return (ex instanceof InvalidDefinitionException) ? ex.getOriginalMessage()
				: "serialization failed (" + ex.getClass().getSimpleName() + ")";
	}

}
