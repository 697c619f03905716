package io.asyncsql.core.validation;

/**
 * Why validation refused a statement.
 *
 * @param rule the stable rule id (see {@link ValidationRule})
 * @param position the 0-based offset of the offending token, or -1 for the whole statement
 * @param detail what was found, naming the token but never quoting literal contents
 */
public record Violation(ValidationRule rule, int position, String detail) {
}
