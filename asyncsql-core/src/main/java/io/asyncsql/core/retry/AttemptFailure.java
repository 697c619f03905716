package io.asyncsql.core.retry;

/**
 * Carries a failure of one attempt together with the {@link Phase} it happened in, between the statement path and
 * the {@link RetryPolicy}. Never reaches callers: the policy turns it into a public exception. Stackless, since
 * its cause has the stack.
 */
public final class AttemptFailure extends RuntimeException {

	private final Phase phase;

	/**
	 * Wraps a failure.
	 * @param phase where it happened
	 * @param cause the failure
	 */
	public AttemptFailure(Phase phase, Throwable cause) {
		super(phase + " failed", cause, false, false);
		this.phase = phase;
	}

	/** @return where the failure happened */
	public Phase phase() {
		return this.phase;
	}

	/**
	 * Wraps a failure unless it is already wrapped.
	 * @param phase where it happened
	 * @param failure the failure
	 * @return an {@link AttemptFailure}
	 */
	public static AttemptFailure of(Phase phase, Throwable failure) {
		return (failure instanceof AttemptFailure wrapped) ? wrapped : new AttemptFailure(phase, failure);
	}

}
