package io.asyncsql.benchmarks.micro;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.retry.TransientReason;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Classifying failures for retry: a serialization failure as the driver reports it, the same wrapped by Spring,
 * a constraint violation (not transient), and a connection reset deep in a cause chain.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetryClassifierBenchmarks {

	private TransientFailureClassifier classifier;

	private Throwable serialization;

	private Throwable springWrapped;

	private Throwable uniqueViolation;

	private Throwable connectionReset;

	@Setup
	public void setUp() {
		this.classifier = new TransientFailureClassifier();
		this.serialization = new R2dbcTransientResourceException("could not serialize access", "40001");
		this.springWrapped = new TransientDataAccessResourceException("wrapped", this.serialization);
		this.uniqueViolation = new R2dbcDataIntegrityViolationException("duplicate key", "23505");
		this.connectionReset = new IllegalStateException("outer",
				new RuntimeException("middle", new IOException("Connection reset by peer")));
	}

	@Benchmark
	public TransientReason serializationFailure() {
		return this.classifier.classify(this.serialization);
	}

	@Benchmark
	public TransientReason wrappedBySpring() {
		return this.classifier.classify(this.springWrapped);
	}

	@Benchmark
	public TransientReason notTransient() {
		return this.classifier.classify(this.uniqueViolation);
	}

	@Benchmark
	public TransientReason connectionResetInCauseChain() {
		return this.classifier.classify(this.connectionReset);
	}

}
