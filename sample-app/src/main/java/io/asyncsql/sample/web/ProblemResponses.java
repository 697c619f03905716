package io.asyncsql.sample.web;

import java.net.URI;
import java.util.Set;

import io.asyncsql.core.CommitOutcomeUnknownException;
import io.asyncsql.core.ConnectionFailureException;
import io.asyncsql.core.IntegrityViolationException;
import io.asyncsql.core.PoolExhaustedException;
import io.asyncsql.core.QueryTimeoutException;
import io.asyncsql.core.RetryExhaustedException;
import io.asyncsql.core.retry.TransientReason;
import io.asyncsql.locking.OptimisticLockConflictException;
import io.asyncsql.sample.ledger.AccountNotFoundException;
import io.asyncsql.sample.ledger.InsufficientFundsException;
import io.asyncsql.sample.ledger.InvalidRequestException;
import io.asyncsql.sample.ledger.MergeConflictException;
import io.asyncsql.sample.ledger.UnknownVersionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}): the status, a stable
 * {@code type}, a {@code title}, a {@code detail} a person can act on, and extra properties a program can use.
 * <ul>
 * <li>400: malformed JSON, a missing or malformed field or parameter;</li>
 * <li>404: no such account (or route);</li>
 * <li>409: a change conflicting with another writer's (with both versions), or writes that kept colliding;</li>
 * <li>412 / 428: a change based on a version that never existed, or on no version at all;</li>
 * <li>422: insufficient funds, or an amount the balance cannot hold;</li>
 * <li>503 with {@code Retry-After}: the database cannot be reached even after the node's retries.</li>
 * </ul>
 * Database messages never reach the client: they may name tables or constraints.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemResponses.class);

	private static final String TYPE_PREFIX = "urn:problem:asyncsql-sample:";

	private static final Set<String> OUT_OF_RANGE_STATES = Set.of("22001", "22003", "23513", "23514");

	/** Seconds a client should wait before trying again after a 503. */
	static final String RETRY_AFTER_SECONDS = "2";

	@ExceptionHandler
	ResponseEntity<ProblemDetail> invalidRequest(InvalidRequestException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", ex.getMessage(),
				exchange);
		problem.setProperty("field", ex.field());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> accountNotFound(AccountNotFoundException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.NOT_FOUND, "account-not-found", "Account not found",
				ex.getMessage(), exchange);
		problem.setProperty("accountId", ex.accountId());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> insufficientFunds(InsufficientFundsException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "insufficient-funds", "Insufficient funds",
				ex.getMessage(), exchange);
		problem.setProperty("accountId", ex.accountId());
		problem.setProperty("balance", ex.balance());
		problem.setProperty("amount", ex.amount());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> mergeConflict(MergeConflictException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "merge-conflict", "Conflicting change", ex.getMessage(),
				exchange);
		problem.setProperty("accountId", ex.base().id());
		problem.setProperty("conflictingFields", ex.conflictingFields());
		problem.setProperty("yourVersion", ex.base().version());
		problem.setProperty("yourChanges", ex.changes());
		problem.setProperty("base", ex.base());
		problem.setProperty("currentVersion", ex.current().version());
		problem.setProperty("current", ex.current());
		return ResponseEntity.status(HttpStatus.CONFLICT).eTag(String.valueOf(ex.current().version())).body(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unknownVersion(UnknownVersionException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.PRECONDITION_FAILED, "unknown-version", "Unknown version",
				ex.getMessage(), exchange);
		problem.setProperty("accountId", ex.accountId());
		problem.setProperty("version", ex.version());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> versionRequired(VersionRequiredException ex, ServerWebExchange exchange) {
		return respond(problem(HttpStatus.PRECONDITION_REQUIRED, "version-required", "Version required",
				ex.getMessage(), exchange));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> contended(OptimisticLockConflictException ex, ServerWebExchange exchange) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "contended", "Too many concurrent writes",
				"The account kept changing while this write was retried; send the request again", exchange);
		problem.setProperty("lockStatus", ex.result().status().name());
		return respond(problem);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> retryExhausted(RetryExhaustedException ex, ServerWebExchange exchange) {
		TransientReason reason = ex.reason();
		if (reason.statementRejected() && reason != TransientReason.POOL_EXHAUSTED
				&& reason != TransientReason.TOO_MANY_CONNECTIONS && reason != TransientReason.READ_ONLY) {
			// deadlocks, serialization failures, lock timeouts: the database works, other transactions won
			ProblemDetail problem = problem(HttpStatus.CONFLICT, "contended", "Too many concurrent writes",
					"The transaction kept colliding with concurrent ones (" + reason.tag() + ") after " + ex.attempts()
							+ " attempts; nothing was written, send the request again", exchange);
			problem.setProperty("reason", reason.tag());
			return respond(problem);
		}
		return unavailable(ex, reason.tag(), exchange);
	}

	@ExceptionHandler({ ConnectionFailureException.class, PoolExhaustedException.class, QueryTimeoutException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException ex, ServerWebExchange exchange) {
		String reason = (ex instanceof PoolExhaustedException) ? TransientReason.POOL_EXHAUSTED.tag()
				: (ex instanceof QueryTimeoutException) ? "timeout" : TransientReason.CONNECTION.tag();
		return unavailable(ex, reason, exchange);
	}

	// Spring's transaction manager reports a connection it could not open this way
	@ExceptionHandler({ CannotCreateTransactionException.class, DataAccessResourceFailureException.class })
	ResponseEntity<ProblemDetail> transactionUnavailable(RuntimeException ex, ServerWebExchange exchange) {
		return unavailable(ex, TransientReason.CONNECTION.tag(), exchange);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> outcomeUnknown(CommitOutcomeUnknownException ex, ServerWebExchange exchange) {
		logger.error("{} {}: commit outcome unknown", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), ex);
		return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "outcome-unknown", "Outcome unknown",
				"The connection to the database broke while committing, so whether this write happened is unknown; "
						+ "read the resource before sending it again",
				exchange));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> integrityViolation(IntegrityViolationException ex, ServerWebExchange exchange) {
		String state = (ex.sqlState() != null) ? ex.sqlState() : "";
		// a balance beyond numeric(19,2) is 22003 on PostgreSQL, 22001 on H2;
		// a CHECK such as balance >= 0 failing is 23514 on PostgreSQL, 23513 on H2
		if (OUT_OF_RANGE_STATES.contains(state)) {
			return respond(problem(HttpStatus.UNPROCESSABLE_CONTENT, "out-of-range", "Amount out of range",
					"The resulting balance would leave the range an account can hold", exchange));
		}
		return internalError(ex, exchange);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
		return internalError(ex, exchange);
	}

	@Override
	protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
			HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
		InputProblem input = InputProblem.of(ex);
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", input.detail(),
				exchange);
		if (input.field() != null) {
			problem.setProperty("field", input.field());
		}
		return Mono.just(ResponseEntity.status(HttpStatus.BAD_REQUEST).headers(headers).body(problem));
	}

	/**
	 * What was wrong with the body or a parameter, without the server's class or method names.
	 */
	private record InputProblem(@Nullable String field, String detail) {

		static InputProblem of(ServerWebInputException ex) {
			JacksonException json = jacksonCause(ex);
			if (json instanceof UnrecognizedPropertyException unknown) {
				return new InputProblem(unknown.getPropertyName(), "Unknown field '" + unknown.getPropertyName() + "'");
			}
			if (json instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
				String path = path(mismatch);
				return new InputProblem(path, "Field '" + path + "' has the wrong type");
			}
			if (json != null) {
				return new InputProblem("body", "Malformed JSON: " + json.getOriginalMessage());
			}
			String reason = (ex.getReason() != null) ? ex.getReason() : "";
			if (reason.startsWith("No request body")) {
				return new InputProblem("body", "A JSON body is required");
			}
			if (ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null) {
				String name = ex.getMethodParameter().getParameterName();
				return new InputProblem(name, reason.startsWith("Type mismatch")
						? "'" + name + "' must be " + describe(ex.getMethodParameter().getParameterType()) : reason);
			}
			return new InputProblem(null, reason.isEmpty() ? "The request could not be read" : reason);
		}

		private static @Nullable JacksonException jacksonCause(Throwable failure) {
			for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof JacksonException jackson) {
					return jackson;
				}
			}
			return null;
		}

		private static String path(MismatchedInputException mismatch) {
			StringBuilder path = new StringBuilder();
			for (JacksonException.Reference reference : mismatch.getPath()) {
				if (reference.getPropertyName() != null) {
					path.append((path.length() > 0) ? "." : "").append(reference.getPropertyName());
				}
				else if (reference.getIndex() >= 0) {
					path.append('[').append(reference.getIndex()).append(']');
				}
			}
			return path.toString();
		}

		private static String describe(Class<?> type) {
			if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
				return "a whole number";
			}
			if (java.util.List.class.isAssignableFrom(type)) {
				return "a comma-separated list of whole numbers";
			}
			return "of type " + type.getSimpleName();
		}

	}

	private ResponseEntity<ProblemDetail> unavailable(Exception ex, String reason, ServerWebExchange exchange) {
		logger.warn("{} {}: database unavailable ({}): {}", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath(), reason, ex.getMessage());
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
				"Database unavailable", "The database cannot be reached right now; try again later", exchange);
		problem.setProperty("reason", reason);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(problem);
	}

	private ResponseEntity<ProblemDetail> internalError(Exception ex, ServerWebExchange exchange) {
		logger.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
		return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The request failed on the server; it has been logged", exchange));
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail,
			ServerWebExchange exchange) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + type));
		problem.setTitle(title);
		problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		return problem;
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).body(problem);
	}

}
