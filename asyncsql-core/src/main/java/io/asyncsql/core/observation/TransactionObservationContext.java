package io.asyncsql.core.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The context of one {@code asyncsql.transaction} observation: a transaction a node opened, from {@code BEGIN} to
 * its end, and the parent of the statements run in it.
 */
public class TransactionObservationContext extends Observation.Context {

	private final String nodeName;

	private final DatabaseEndpoint endpoint;

	private volatile @Nullable String outcome;

	/**
	 * Creates the context of a transaction.
	 * @param nodeName the node that opened it
	 * @param endpoint where it runs
	 */
	public TransactionObservationContext(String nodeName, DatabaseEndpoint endpoint) {
		this.nodeName = nodeName;
		this.endpoint = endpoint;
	}

	/** @return the node name */
	public String getNodeName() {
		return this.nodeName;
	}

	/** @return the database the transaction runs on */
	public DatabaseEndpoint getEndpoint() {
		return this.endpoint;
	}

	/** @return {@code commit} or {@code rollback} once the transaction ended, {@code null} before */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Records how the transaction ended; done by the transaction before it stops the observation.
	 * @param committed whether it committed
	 */
	public void setCommitted(boolean committed) {
		this.outcome = committed ? "commit" : "rollback";
	}

}
