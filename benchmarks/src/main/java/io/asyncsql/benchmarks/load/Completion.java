package io.asyncsql.benchmarks.load;

/**
 * How an asynchronous operation reports its end to the closed loop that started it. Exactly one of the methods is
 * called once per operation, on any thread.
 */
interface Completion {

	/** The operation finished and its result was checked. */
	void succeeded();

	/**
	 * The operation failed, or returned a wrong result.
	 * @param failure why
	 */
	void failed(Throwable failure);

}
