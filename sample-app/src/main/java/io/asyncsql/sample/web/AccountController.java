package io.asyncsql.sample.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsql.sample.ledger.Account;
import io.asyncsql.sample.ledger.AccountChanges;
import io.asyncsql.sample.ledger.AccountService;
import io.asyncsql.sample.ledger.InvalidRequestException;
import io.asyncsql.sample.ledger.Money;
import io.asyncsql.sample.ledger.NewAccount;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /accounts}: open, read (one, several by id, by tag), deposit and change. Responses that carry one
 * account carry its version as {@code ETag}, ready to be sent back as {@code If-Match}.
 */
@RestController
@RequestMapping("/accounts")
class AccountController {

	/** The most ids one {@code GET /accounts?ids=} takes. */
	static final int MAX_IDS = 100;

	// "7", W/"7" or 7
	private static final Pattern VERSION_TAG = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

	private final AccountService accounts;

	AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@PostMapping
	Mono<ResponseEntity<Account>> open(@RequestBody Requests.OpenAccount body) {
		NewAccount request = NewAccount.of(body.owner(), body.initialBalance(), body.tags(), body.metadata());
		return this.accounts.open(request)
			.map(account -> ResponseEntity.created(URI.create("/accounts/" + account.id()))
				.eTag(String.valueOf(account.version()))
				.body(account));
	}

	@GetMapping("/{id}")
	Mono<ResponseEntity<Account>> get(@PathVariable long id) {
		return this.accounts.find(id).map(AccountController::withVersion);
	}

	@GetMapping
	Flux<Account> list(@RequestParam(required = false) @Nullable List<Long> ids,
			@RequestParam(required = false) @Nullable String tag) {
		if ((ids == null) == (tag == null)) {
			throw new InvalidRequestException("ids", "give either ids=1,2,3 or tag=name");
		}
		if (ids != null) {
			if (ids.isEmpty() || ids.size() > MAX_IDS || ids.contains(null)) {
				throw new InvalidRequestException("ids", "ids must list 1 to " + MAX_IDS + " account ids");
			}
			return this.accounts.findAll(List.copyOf(ids));
		}
		if (tag.isBlank()) {
			throw new InvalidRequestException("tag", "tag must not be blank");
		}
		return this.accounts.findTagged(tag);
	}

	@PostMapping("/{id}/deposit")
	Mono<ResponseEntity<Account>> deposit(@PathVariable long id, @RequestBody Requests.Deposit body) {
		return this.accounts.deposit(id, Money.positive("amount", body.amount())).map(AccountController::withVersion);
	}

	/**
	 * Changes owner, tags or metadata, based on the version in {@code If-Match} or the body's {@code version}.
	 */
	@PatchMapping("/{id}")
	Mono<ResponseEntity<Account>> change(@PathVariable long id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
			@RequestBody Map<String, Object> body) {
		Map<String, Object> fields = new LinkedHashMap<>(body);
		boolean bodyHasVersion = fields.containsKey("version");
		long version = baseVersion(ifMatch, fields.remove("version"), bodyHasVersion);
		AccountChanges changes = AccountChanges.of(fields);
		return this.accounts.change(id, version, changes).map(AccountController::withVersion);
	}

	private static long baseVersion(@Nullable String ifMatch, @Nullable Object bodyVersion, boolean bodyHasVersion) {
		Long fromHeader = null;
		if (ifMatch != null) {
			Matcher matcher = VERSION_TAG.matcher(ifMatch.strip());
			if (!matcher.matches()) {
				throw new InvalidRequestException("If-Match", "If-Match must name one version, such as \"3\"");
			}
			fromHeader = Long.parseLong(matcher.group(1));
		}
		Long fromBody = null;
		if (bodyHasVersion) {
			if (!(bodyVersion instanceof Integer || bodyVersion instanceof Long)) {
				throw new InvalidRequestException("version", "version must be a whole number");
			}
			fromBody = ((Number) bodyVersion).longValue();
		}
		if (fromHeader != null && fromBody != null && !fromHeader.equals(fromBody)) {
			throw new InvalidRequestException("version", "If-Match and the body's version name different versions");
		}
		Long version = (fromHeader != null) ? fromHeader : fromBody;
		if (version == null) {
			throw new VersionRequiredException();
		}
		return version;
	}

	private static ResponseEntity<Account> withVersion(Account account) {
		return ResponseEntity.ok().eTag(String.valueOf(account.version())).body(account);
	}

}
