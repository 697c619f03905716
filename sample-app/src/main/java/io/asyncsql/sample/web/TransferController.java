package io.asyncsql.sample.web;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import io.asyncsql.sample.ledger.InvalidRequestException;
import io.asyncsql.sample.ledger.Money;
import io.asyncsql.sample.ledger.Transfer;
import io.asyncsql.sample.ledger.TransferService;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /transfers}: move money, and list what moved since a point in time.
 */
@RestController
@RequestMapping("/transfers")
class TransferController {

	private final TransferService transfers;

	TransferController(TransferService transfers) {
		this.transfers = transfers;
	}

	@PostMapping
	Mono<ResponseEntity<Transfer>> transfer(@RequestBody Requests.NewTransfer body) {
		if (body.fromAccount() == null) {
			throw new InvalidRequestException("fromAccount", "fromAccount is required");
		}
		if (body.toAccount() == null) {
			throw new InvalidRequestException("toAccount", "toAccount is required");
		}
		return this.transfers.transfer(body.fromAccount(), body.toAccount(), Money.positive("amount", body.amount()))
			.map(transfer -> ResponseEntity.status(HttpStatus.CREATED).body(transfer));
	}

	@GetMapping
	Flux<Transfer> since(@RequestParam String since, @RequestParam(defaultValue = "100") int limit) {
		OffsetDateTime from;
		try {
			from = OffsetDateTime.parse(since);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidRequestException("since", "since must be an ISO-8601 date-time with an offset, such as "
					+ "2024-01-01T00:00:00Z");
		}
		if (limit < 1 || limit > TransferService.MAX_LISTED) {
			throw new InvalidRequestException("limit", "limit must be between 1 and " + TransferService.MAX_LISTED);
		}
		return this.transfers.since(from, limit);
	}

}
