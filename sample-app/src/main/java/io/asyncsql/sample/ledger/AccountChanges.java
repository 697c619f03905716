package io.asyncsql.sample.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A checked change of the fields a client may edit directly: {@code owner}, {@code tags} and {@code metadata}
 * (which is replaced as a whole). The balance only moves through deposits and transfers.
 *
 * @param columns the new values by column, only for the fields the client sent
 */
public record AccountChanges(Map<String, @Nullable Object> columns) {

	/** The fields a change may set. */
	public static final Set<String> EDITABLE = Set.of("owner", "tags", "metadata");

	/**
	 * Checks the fields of a change.
	 * @param fields field names to new values, as the client sent them (without the version)
	 * @return the change
	 * @throws InvalidRequestException for an unknown or read-only field, a value that breaks a field's rule, or no
	 * field at all
	 */
	@SuppressWarnings("unchecked")
	public static AccountChanges of(Map<String, ?> fields) {
		Map<String, @Nullable Object> columns = new LinkedHashMap<>();
		for (Map.Entry<String, ?> field : fields.entrySet()) {
			String name = field.getKey();
			Object value = field.getValue();
			switch (name) {
				case "owner" -> columns.put(name, AccountFields.owner((value instanceof String s) ? s : null));
				case "tags" -> {
					if (!(value instanceof List<?> list)) {
						throw new InvalidRequestException(name, "tags must be an array of strings");
					}
					columns.put(name, AccountFields.tags(list));
				}
				case "metadata" -> {
					if (!(value instanceof Map<?, ?> map)) {
						throw new InvalidRequestException(name, "metadata must be a JSON object");
					}
					columns.put(name, AccountFields.metadata((Map<String, ?>) map));
				}
				case "balance" -> throw new InvalidRequestException(name,
						"balance cannot be set; use POST /accounts/{id}/deposit or POST /transfers");
				case "id" -> throw new InvalidRequestException(name, "id cannot be changed");
				default -> throw new InvalidRequestException(name, "unknown field '" + name + "'; a change may set "
						+ "owner, tags and metadata");
			}
		}
		if (columns.isEmpty()) {
			throw new InvalidRequestException("body", "the change sets no field; send owner, tags or metadata");
		}
		return new AccountChanges(columns);
	}

}
