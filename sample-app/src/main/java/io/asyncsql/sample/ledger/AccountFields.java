package io.asyncsql.sample.ledger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The rules for the fields a client sets on an account, shared by opening and changing one.
 */
final class AccountFields {

	static final int MAX_OWNER_LENGTH = 200;

	static final int MAX_TAGS = 32;

	static final int MAX_TAG_LENGTH = 64;

	private AccountFields() {
	}

	static String owner(@Nullable String owner) {
		if (owner == null || owner.isBlank()) {
			throw new InvalidRequestException("owner", "owner is required and must not be blank");
		}
		if (owner.length() > MAX_OWNER_LENGTH) {
			throw new InvalidRequestException("owner", "owner must be at most " + MAX_OWNER_LENGTH + " characters");
		}
		return owner;
	}

	/** Tags keep their order; repeats are dropped. */
	static List<String> tags(@Nullable List<?> tags) {
		if (tags == null) {
			return new ArrayList<>();
		}
		if (tags.size() > MAX_TAGS) {
			throw new InvalidRequestException("tags", "tags must hold at most " + MAX_TAGS + " entries");
		}
		LinkedHashSet<String> unique = new LinkedHashSet<>();
		for (Object tag : tags) {
			if (!(tag instanceof String text) || text.isBlank()) {
				throw new InvalidRequestException("tags", "tags must be non-blank strings");
			}
			if (text.length() > MAX_TAG_LENGTH) {
				throw new InvalidRequestException("tags", "each tag must be at most " + MAX_TAG_LENGTH + " characters");
			}
			unique.add(text);
		}
		return new ArrayList<>(unique);
	}

	static Map<String, @Nullable Object> metadata(@Nullable Map<String, ?> metadata) {
		return (metadata != null) ? new LinkedHashMap<>(metadata) : new LinkedHashMap<>();
	}

}
