package io.asyncsql.benchmarks.load;

import java.util.function.Supplier;

/**
 * A call returned something other than what its workload must return: a fast wrong client must not win.
 */
final class WrongResultException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	WrongResultException(String message) {
		super(message);
	}

	/**
	 * Fails unless a condition holds. The message is only built on failure: building it on every call would
	 * cost more than some of the clients measured.
	 * @param condition what must hold
	 * @param message what was wrong
	 */
	static void check(boolean condition, Supplier<String> message) {
		if (!condition) {
			throw new WrongResultException(message.get());
		}
	}

}
