package io.asyncsql.sample.web;

import io.asyncsql.sample.ledger.AuditEvent;
import io.asyncsql.sample.ledger.AuditTrail;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /audit/{accountId}}: the history of an account, oldest first.
 */
@RestController
class AuditController {

	private final AuditTrail audit;

	AuditController(AuditTrail audit) {
		this.audit = audit;
	}

	@GetMapping("/audit/{accountId}")
	Flux<AuditEvent> history(@PathVariable long accountId) {
		return this.audit.history(accountId);
	}

}
