package io.asyncsql.benchmarks.load;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * One call of a non-blocking client: starts the work and returns at once; the end is reported to the
 * {@link Completion}.
 */
@FunctionalInterface
interface AsyncOperation {

	/**
	 * Starts one call.
	 * @param completion told when the call ends
	 */
	void start(Completion completion);

	/**
	 * An operation from a Reactor pipeline, subscribed once per call. The pipeline checks its own result and
	 * fails when it is wrong.
	 * @param call makes the pipeline of one call
	 * @return the operation
	 */
	static AsyncOperation of(Supplier<? extends Mono<?>> call) {
		return completion -> call.get().subscribe(null, completion::failed, completion::succeeded);
	}

}
