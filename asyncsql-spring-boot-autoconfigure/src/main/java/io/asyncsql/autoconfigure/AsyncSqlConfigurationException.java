package io.asyncsql.autoconfigure;

/**
 * A configuration value under {@code asyncsql.*} that cannot work. Names the property, what is wrong with it and
 * how to fix it; {@link AsyncSqlConfigurationFailureAnalyzer} shows it at startup. Never carries a secret value.
 */
public class AsyncSqlConfigurationException extends IllegalStateException {

	private final String property;

	private final String problem;

	private final String action;

	/**
	 * Creates the exception.
	 * @param property the full property name, for example {@code asyncsql.nodes.orders.pool.max-size}
	 * @param problem what is wrong, for example {@code must be >= 1 but was 0}
	 * @param action how to fix it
	 */
	public AsyncSqlConfigurationException(String property, String problem, String action) {
		super(property + " " + problem);
		this.property = property;
		this.problem = problem;
		this.action = action;
	}

	/** @return the full property name */
	public String property() {
		return this.property;
	}

	/** @return what is wrong */
	public String problem() {
		return this.problem;
	}

	/** @return how to fix it */
	public String action() {
		return this.action;
	}

}
