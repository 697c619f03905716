package io.asyncsql.benchmarks.load;

/**
 * One call of a blocking client, run on the caller's thread. Checks its own result and throws when it is wrong.
 */
@FunctionalInterface
interface BlockingOperation {

	/**
	 * Runs one call.
	 * @throws Exception when the call fails or returns a wrong result
	 */
	void run() throws Exception;

}
