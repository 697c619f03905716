package io.asyncsql.sample;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import io.asyncsql.sample.ledger.Account;
import io.asyncsql.sample.ledger.AuditEvent;
import io.asyncsql.sample.ledger.Transfer;
import io.asyncsql.sample.schema.SchemaInitializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.awaitility.Awaitility.await;

/**
 * The funds-transfer service over real HTTP on a random port, on a real database: every endpoint's happy and
 * error paths, and the concurrency guarantees (no lost deposit, no money created or destroyed, no overdraft).
 * <p>
 * Each database has a subclass that points the service's nodes at it and reads the database directly for
 * assertions through {@link #query(String)}; the statements the tests run there are portable SQL. Tests make their
 * own accounts (with tags of their own), so they never depend on each other's data.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class FundsTransferHttpTests {

	protected static final Duration WAIT = Duration.ofSeconds(60);

	private static final String PROBLEM = "urn:problem:asyncsql-sample:";

	private static final ParameterizedTypeReference<List<Account>> ACCOUNTS = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Transfer>> TRANSFERS = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<AuditEvent>> EVENTS = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	private int port;

	@Autowired
	private SchemaInitializer schemaInitializer;

	private WebTestClient http;

	// amounts inside JSON maps (audit events, metadata) are read exactly, as the service reads them
	private final JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

	/**
	 * Reads the database directly, not through the service under test.
	 * @param sql a portable query
	 * @return the rows as lists of column values
	 */
	protected abstract List<List<Object>> query(String sql);

	/**
	 * Whether concurrent requests' statements interleave on the database, so that 50 concurrent deposits to one
	 * account are bound to meet version conflicts.
	 * @return {@code true} unless the driver runs each request's statements through without interleaving
	 */
	protected boolean concurrentStatementsInterleave() {
		return true;
	}

	@BeforeEach
	void client() {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.responseTimeout(WAIT)
			.codecs(codecs -> codecs.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(this.json)))
			.build();
	}

	// ---------------------------------------------------------------- POST /accounts, GET /accounts...

	@Test
	void openingAnAccountReturnsItWithItsLocationAndVersion() {
		String tag = uniqueTag();
		EntityExchangeResult<Account> result = this.http.post().uri("/accounts")
			.bodyValue(Map.of("owner", "Ada", "initialBalance", new BigDecimal("100.00"), "tags", List.of(tag, "premium"),
					"metadata", Map.of("segment", "retail", "limit", new BigDecimal("1.50"))))
			.exchange()
			.expectStatus().isCreated()
			.expectHeader().valueMatches("Location", "/accounts/\\d+")
			.expectHeader().valueEquals("ETag", "\"1\"")
			.expectBody(Account.class).returnResult();
		Account account = result.getResponseBody();
		assertThat(result.getResponseHeaders().getLocation()).hasToString("/accounts/" + account.id());
		assertThat(account.owner()).isEqualTo("Ada");
		assertThat(account.balance()).isEqualByComparingTo("100.00");
		assertThat(account.tags()).containsExactly(tag, "premium");
		assertThat(account.metadata()).containsEntry("segment", "retail").containsEntry("limit", new BigDecimal("1.50"));
		assertThat(account.version()).isEqualTo(1);
		assertThat(scalar("SELECT balance FROM accounts WHERE id = " + account.id())).isEqualTo(new BigDecimal("100.00"));
		assertThat(auditTypes(account.id())).containsExactly("account_opened");
	}

	@Test
	void openingAnAccountWithOnlyAnOwnerStartsAtZero() {
		Account account = this.http.post().uri("/accounts").bodyValue(Map.of("owner", "Zero")).exchange()
			.expectStatus().isCreated().expectBody(Account.class).returnResult().getResponseBody();
		assertThat(account.balance()).isEqualByComparingTo("0.00");
		assertThat(account.tags()).isEmpty();
		assertThat(account.metadata()).isEmpty();
	}

	static Stream<Arguments> invalidAccounts() {
		return Stream.of(Arguments.of("{\"initialBalance\": 5}", "owner"),
				Arguments.of("{\"owner\": \"   \"}", "owner"),
				Arguments.of("{\"owner\": \"x\", \"initialBalance\": -1}", "initialBalance"),
				Arguments.of("{\"owner\": \"x\", \"initialBalance\": 1.001}", "initialBalance"),
				Arguments.of("{\"owner\": \"x\", \"initialBalance\": 1e18}", "initialBalance"),
				Arguments.of("{\"owner\": \"x\", \"initialBalance\": \"lots\"}", "initialBalance"),
				Arguments.of("{\"owner\": \"x\", \"tags\": \"premium\"}", "tags"),
				Arguments.of("{\"owner\": \"x\", \"tags\": [\"\"]}", "tags"),
				Arguments.of("{\"owner\": \"x\", \"metadata\": [1]}", "metadata"),
				Arguments.of("{\"owner\": \"x\", \"balance\": 5}", "balance"),
				Arguments.of("{\"owner\": ", "body"),
				Arguments.of("", "body"));
	}

	@ParameterizedTest
	@MethodSource("invalidAccounts")
	void invalidAccountsAreRefusedNamingTheFieldAndNothingIsWritten(String body, String field) {
		long before = count("SELECT count(*) FROM accounts");
		problem(this.http.post().uri("/accounts").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange(), 400,
				"invalid-request")
			.jsonPath("$.field").isEqualTo(field)
			.jsonPath("$.detail").value(detail -> assertThat(detail.toString()).doesNotContain("io.asyncsql", "Requests$"));
		assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(before);
	}

	@Test
	void readingAnAccount() {
		Account opened = open("Grace", "12.34", List.of(uniqueTag()));
		Account read = this.http.get().uri("/accounts/{id}", opened.id()).exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"1\"")
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(read).isEqualTo(opened);
	}

	@Test
	void readingAMissingOrMalformedAccountIdIsAProblem() {
		problem(this.http.get().uri("/accounts/{id}", Long.MAX_VALUE).exchange(), 404, "account-not-found")
			.jsonPath("$.accountId").isEqualTo(Long.MAX_VALUE)
			.jsonPath("$.instance").isEqualTo("/accounts/" + Long.MAX_VALUE);
		problem(this.http.get().uri("/accounts/abc").exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("id")
			.jsonPath("$.detail").isEqualTo("'id' must be a whole number");
	}

	@Test
	void readingSeveralAccountsByIdIsOneQuery() {
		Account first = open("One", "1.00", List.of());
		Account second = open("Two", "2.00", List.of());
		double selects = meter("asyncsql.queries", "node:reader", "operation:select");
		List<Account> accounts = this.http.get()
			.uri("/accounts?ids={a},{missing},{b}", second.id(), Long.MAX_VALUE, first.id())
			.exchange().expectStatus().isOk().expectBody(ACCOUNTS).returnResult().getResponseBody();
		assertThat(accounts).containsExactly(first, second);
		await().atMost(WAIT).untilAsserted(() -> assertThat(meter("asyncsql.queries", "node:reader", "operation:select"))
			.isEqualTo(selects + 1));
	}

	@Test
	void readingAccountsByTag() {
		String tag = uniqueTag();
		Account tagged = open("Tagged", "1.00", List.of("other", tag));
		open("Untagged", "1.00", List.of("other"));
		Account alsoTagged = open("Also tagged", "1.00", List.of(tag));
		assertThat(this.http.get().uri("/accounts?tag={tag}", tag).exchange().expectStatus().isOk()
			.expectBody(ACCOUNTS).returnResult().getResponseBody()).containsExactly(tagged, alsoTagged);
		assertThat(this.http.get().uri("/accounts?tag={tag}", uniqueTag()).exchange().expectStatus().isOk()
			.expectBody(ACCOUNTS).returnResult().getResponseBody()).isEmpty();
	}

	@Test
	void badAccountQueriesAreProblems() {
		problem(this.http.get().uri("/accounts?ids=1,x").exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("ids");
		problem(this.http.get().uri("/accounts").exchange(), 400, "invalid-request")
			.jsonPath("$.detail").isEqualTo("give either ids=1,2,3 or tag=name");
		problem(this.http.get().uri("/accounts?ids=1&tag=premium").exchange(), 400, "invalid-request");
		problem(this.http.get().uri("/accounts?tag=").exchange(), 400, "invalid-request").jsonPath("$.field")
			.isEqualTo("tag");
		String tooMany = String.join(",", Stream.iterate(1, i -> i + 1).limit(101).map(String::valueOf).toList());
		problem(this.http.get().uri("/accounts?ids=" + tooMany).exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("ids");
	}

	// ---------------------------------------------------------------- POST /accounts/{id}/deposit

	@Test
	void depositingCreditsTheAccountAndRecordsIt() {
		Account account = open("Saver", "10.00", List.of());
		Account credited = this.http.post().uri("/accounts/{id}/deposit", account.id())
			.bodyValue(Map.of("amount", new BigDecimal("2.50")))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"2\"")
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(credited.balance()).isEqualByComparingTo("12.50");
		assertThat(credited.version()).isEqualTo(2);
		assertThat(scalar("SELECT balance FROM accounts WHERE id = " + account.id())).isEqualTo(new BigDecimal("12.50"));
		List<AuditEvent> events = audit(account.id());
		assertThat(events).extracting(event -> event.eventData().get("type")).containsExactly("account_opened", "deposit");
		assertThat(events.get(1).eventData()).containsEntry("amount", new BigDecimal("2.50"));
		assertThat(snapshot(events.get(1))).containsEntry("balance", new BigDecimal("12.50")).containsEntry("version", 2);
	}

	static Stream<Arguments> invalidAmounts() {
		return Stream.of(Arguments.of("{\"amount\": 0}"), Arguments.of("{\"amount\": -5}"),
				Arguments.of("{\"amount\": 1.005}"), Arguments.of("{}"), Arguments.of("{\"amount\": \"abc\"}"),
				Arguments.of("{\"amount\": 100000000000000000}"));
	}

	@ParameterizedTest
	@MethodSource("invalidAmounts")
	void invalidDepositsAreRefusedAndChangeNothing(String body) {
		Account account = open("Careful", "10.00", List.of());
		problem(this.http.post().uri("/accounts/{id}/deposit", account.id()).contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body).exchange(), 400, "invalid-request").jsonPath("$.field").isEqualTo("amount");
		assertThat(scalar("SELECT version FROM accounts WHERE id = " + account.id())).isEqualTo(1L);
		assertThat(auditTypes(account.id())).containsExactly("account_opened");
	}

	@Test
	void depositingToAMissingAccountIsNotFound() {
		problem(this.http.post().uri("/accounts/{id}/deposit", Long.MAX_VALUE).bodyValue(Map.of("amount", 1)).exchange(),
				404, "account-not-found");
	}

	@Test
	void aDepositBeyondWhatABalanceHoldsIsUnprocessableAndChangesNothing() {
		Account account = open("Rich", "99999999999999999.00", List.of());
		problem(this.http.post().uri("/accounts/{id}/deposit", account.id()).bodyValue(Map.of("amount", 1)).exchange(),
				422, "out-of-range");
		assertThat(scalar("SELECT version FROM accounts WHERE id = " + account.id())).isEqualTo(1L);
		assertThat(auditTypes(account.id())).containsExactly("account_opened");
	}

	// ---------------------------------------------------------------- PATCH /accounts/{id}

	@Test
	void aChangeAtTheCurrentVersionApplies() {
		Account account = open("Old name", "5.00", List.of("a"));
		Account changed = this.http.patch().uri("/accounts/{id}", account.id())
			.header("If-Match", "\"1\"")
			.bodyValue(Map.of("owner", "New name", "metadata", Map.of("vip", true)))
			.exchange()
			.expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"2\"")
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(changed).isEqualTo(new Account(account.id(), "New name", account.balance(), List.of("a"),
				Map.of("vip", true), 2));
		AuditEvent event = audit(account.id()).get(1);
		assertThat(event.eventData()).containsEntry("type", "account_changed").containsEntry("basedOnVersion", 1)
			.containsEntry("merged", false);
		assertThat(snapshot(event)).containsEntry("owner", "New name").containsEntry("version", 2);
	}

	@Test
	void aStaleChangeOfOtherFieldsIsMergedOntoTheCurrentVersion() {
		Account account = open("Before", "5.00", List.of("a"));
		change(account.id(), 1, Map.of("owner", "Renamed")).expectStatus().isOk();
		// this client still holds version 1 and only touches metadata: no conflict with the rename
		Account merged = change(account.id(), 1, Map.of("metadata", Map.of("tier", "gold"))).expectStatus().isOk()
			.expectHeader().valueEquals("ETag", "\"3\"")
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(merged.owner()).isEqualTo("Renamed");
		assertThat(merged.metadata()).isEqualTo(Map.of("tier", "gold"));
		assertThat(merged.version()).isEqualTo(3);
		assertThat(audit(account.id()).get(2).eventData()).containsEntry("merged", true).containsEntry("basedOnVersion", 1);
	}

	@Test
	void tagsChangedOnBothSidesAreUnited() {
		Account account = open("Tags", "5.00", List.of("a"));
		change(account.id(), 1, Map.of("tags", List.of("a", "b"))).expectStatus().isOk();
		Account merged = change(account.id(), 1, Map.of("tags", List.of("a", "c"))).expectStatus().isOk()
			.expectBody(Account.class).returnResult().getResponseBody();
		assertThat(merged.tags()).containsExactly("a", "b", "c");
	}

	@Test
	void aTrueConflictIsRefusedWithBothVersionsAndWritesNothing() {
		Account account = open("Original", "5.00", List.of("a"));
		change(account.id(), 1, Map.of("owner", "First writer")).expectStatus().isOk();
		problem(change(account.id(), 1, Map.of("owner", "Second writer", "tags", List.of("a", "z"))), 409, "merge-conflict")
			.jsonPath("$.conflictingFields").isEqualTo(List.of("owner"))
			.jsonPath("$.yourVersion").isEqualTo(1)
			.jsonPath("$.yourChanges.owner").isEqualTo("Second writer")
			.jsonPath("$.base.owner").isEqualTo("Original")
			.jsonPath("$.base.version").isEqualTo(1)
			.jsonPath("$.currentVersion").isEqualTo(2)
			.jsonPath("$.current.owner").isEqualTo("First writer")
			.jsonPath("$.current.version").isEqualTo(2);
		assertThat(query("SELECT owner, version FROM accounts WHERE id = " + account.id()))
			.containsExactly(List.of("First writer", 2L));
		assertThat(auditTypes(account.id())).containsExactly("account_opened", "account_changed");
	}

	@Test
	void changesNeedAKnownVersionAndEditableFields() {
		Account account = open("Strict", "5.00", List.of());
		long id = account.id();
		problem(this.http.patch().uri("/accounts/{id}", id).bodyValue(Map.of("owner", "x")).exchange(), 428,
				"version-required");
		problem(change(id, 99, Map.of("owner", "x")), 412, "unknown-version").jsonPath("$.version").isEqualTo(99);
		problem(this.http.patch().uri("/accounts/{id}", id).header("If-Match", "\"1\"")
			.bodyValue(Map.of("owner", "x", "version", 2)).exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("version");
		problem(this.http.patch().uri("/accounts/{id}", id).header("If-Match", "*").bodyValue(Map.of("owner", "x"))
			.exchange(), 400, "invalid-request").jsonPath("$.field").isEqualTo("If-Match");
		problem(change(id, 1, Map.of("balance", 1000)), 400, "invalid-request").jsonPath("$.field").isEqualTo("balance");
		problem(change(id, 1, Map.of()), 400, "invalid-request").jsonPath("$.field").isEqualTo("body");
		problem(change(id, 1, Map.of("tags", "a")), 400, "invalid-request").jsonPath("$.field").isEqualTo("tags");
		problem(change(Long.MAX_VALUE, 1, Map.of("owner", "x")), 404, "account-not-found");
		assertThat(scalar("SELECT version FROM accounts WHERE id = " + id)).isEqualTo(1L);
	}

	// ---------------------------------------------------------------- POST /transfers, GET /transfers

	@Test
	void aTransferMovesMoneyAndRecordsItInOneGo() {
		Account from = open("Payer", "100.00", List.of());
		Account to = open("Payee", "10.00", List.of());
		Transfer transfer = transfer(from.id(), to.id(), "30.50").expectStatus().isCreated()
			.expectBody(Transfer.class).returnResult().getResponseBody();
		assertThat(transfer.fromAccount()).isEqualTo(from.id());
		assertThat(transfer.toAccount()).isEqualTo(to.id());
		assertThat(transfer.amount()).isEqualByComparingTo("30.50");
		assertThat(query("SELECT from_account, to_account, amount FROM transfers WHERE id = " + transfer.id()))
			.containsExactly(List.of(from.id(), to.id(), new BigDecimal("30.50")));
		assertThat(account(from.id())).extracting(Account::balance, Account::version)
			.containsExactly(new BigDecimal("69.50"), 2L);
		assertThat(account(to.id())).extracting(Account::balance, Account::version)
			.containsExactly(new BigDecimal("40.50"), 2L);
		AuditEvent out = audit(from.id()).get(1);
		assertThat(out.eventData()).containsEntry("type", "transfer_out");
		assertThat(out.eventData().get("transfer")).isEqualTo(Map.of("id", (int) transfer.id(), "fromAccount",
				(int) from.id(), "toAccount", (int) to.id(), "amount", new BigDecimal("30.50")));
		assertThat(snapshot(out)).containsEntry("balance", new BigDecimal("69.50"));
		assertThat(audit(to.id()).get(1).eventData()).containsEntry("type", "transfer_in");
	}

	@Test
	void insufficientFundsAreUnprocessableAndChangeNothing() {
		Account from = open("Short", "20.00", List.of());
		Account to = open("Hopeful", "0.00", List.of());
		problem(transfer(from.id(), to.id(), "20.01"), 422, "insufficient-funds")
			.jsonPath("$.accountId").isEqualTo(from.id())
			.jsonPath("$.balance").isEqualTo(20.0)
			.jsonPath("$.amount").isEqualTo(20.01);
		assertThat(account(from.id())).isEqualTo(from);
		assertThat(account(to.id())).isEqualTo(to);
		assertThat(count("SELECT count(*) FROM transfers WHERE from_account = " + from.id())).isZero();
		assertThat(auditTypes(from.id())).containsExactly("account_opened");
		assertThat(auditTypes(to.id())).containsExactly("account_opened");
		// the whole balance can go
		transfer(from.id(), to.id(), "20.00").expectStatus().isCreated();
		assertThat(account(from.id()).balance()).isEqualByComparingTo("0.00");
	}

	@Test
	void badTransfersAreRefusedAndChangeNothing() {
		Account from = open("Sender", "50.00", List.of());
		Account to = open("Receiver", "0.00", List.of());
		problem(transfer(from.id(), from.id(), "1.00"), 400, "invalid-request").jsonPath("$.field").isEqualTo("toAccount");
		problem(transfer(from.id(), to.id(), "0"), 400, "invalid-request").jsonPath("$.field").isEqualTo("amount");
		problem(transfer(from.id(), to.id(), "0.001"), 400, "invalid-request").jsonPath("$.field").isEqualTo("amount");
		problem(this.http.post().uri("/transfers").bodyValue(Map.of("toAccount", to.id(), "amount", 1)).exchange(), 400,
				"invalid-request").jsonPath("$.field").isEqualTo("fromAccount");
		problem(this.http.post().uri("/transfers").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"fromAccount\": \"one\", \"toAccount\": 2, \"amount\": 1}").exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("fromAccount");
		problem(transfer(from.id(), Long.MAX_VALUE, "1.00"), 404, "account-not-found")
			.jsonPath("$.accountId").isEqualTo(Long.MAX_VALUE);
		problem(transfer(Long.MAX_VALUE, to.id(), "1.00"), 404, "account-not-found");
		assertThat(account(from.id())).isEqualTo(from);
		assertThat(account(to.id())).isEqualTo(to);
		assertThat(count("SELECT count(*) FROM transfers WHERE from_account = " + from.id() + " OR to_account = "
				+ to.id())).isZero();
	}

	@Test
	void transfersAreListedSinceAPointInTime() {
		Account from = open("Lister", "10.00", List.of());
		Account to = open("Listed", "0.00", List.of());
		OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
		Transfer transfer = transfer(from.id(), to.id(), "1.25").expectStatus().isCreated().expectBody(Transfer.class)
			.returnResult().getResponseBody();
		List<Transfer> listed = this.http.get().uri("/transfers?since={since}&limit=1000", before.toString()).exchange()
			.expectStatus().isOk().expectBody(TRANSFERS).returnResult().getResponseBody();
		assertThat(listed).contains(transfer);
		assertThat(listed).allSatisfy(t -> assertThat(t.createdAt()).isAfterOrEqualTo(before));
		assertThat(listed).extracting(Transfer::createdAt).isSorted();
		String future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();
		assertThat(this.http.get().uri("/transfers?since={since}", future).exchange().expectStatus().isOk()
			.expectBody(TRANSFERS).returnResult().getResponseBody()).isEmpty();
		assertThat(this.http.get().uri("/transfers?since=2024-01-01T00:00:00Z&limit=1").exchange().expectStatus().isOk()
			.expectBody(TRANSFERS).returnResult().getResponseBody()).hasSize(1);
		problem(this.http.get().uri("/transfers?since=yesterday").exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("since");
		problem(this.http.get().uri("/transfers?since=2024-01-01T00:00:00Z&limit=0").exchange(), 400, "invalid-request")
			.jsonPath("$.field").isEqualTo("limit");
		this.http.get().uri("/transfers").exchange().expectStatus().isBadRequest()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
	}

	// ---------------------------------------------------------------- GET /audit/{accountId}

	@Test
	void theAuditTrailTellsAnAccountsWholeHistory() {
		Account account = open("History", "1.00", List.of());
		Account other = open("Other", "5.00", List.of());
		deposit(account.id(), "2.00");
		transfer(other.id(), account.id(), "3.00").expectStatus().isCreated();
		change(account.id(), 3, Map.of("owner", "History, renamed")).expectStatus().isOk();
		List<AuditEvent> events = audit(account.id());
		assertThat(events).extracting(event -> event.eventData().get("type"))
			.containsExactly("account_opened", "deposit", "transfer_in", "account_changed");
		assertThat(events).extracting(event -> snapshot(event).get("version")).containsExactly(1, 2, 3, 4);
		assertThat(events).extracting(event -> snapshot(event).get("balance")).containsExactly(new BigDecimal("1.00"),
				new BigDecimal("3.00"), new BigDecimal("6.00"), new BigDecimal("6.00"));
		assertThat(events).allSatisfy(event -> assertThat(event.accountId()).isEqualTo(account.id()));
		assertThat(events).extracting(AuditEvent::id).isSorted();
		problem(this.http.get().uri("/audit/{id}", Long.MAX_VALUE).exchange(), 404, "account-not-found");
		problem(this.http.get().uri("/audit/x").exchange(), 400, "invalid-request").jsonPath("$.field")
			.isEqualTo("accountId");
	}

	// ---------------------------------------------------------------- concurrency

	@Test
	void concurrentDepositsAllLandAndTheLockMetersCountTheirConflicts() throws Exception {
		Account account = open("Popular", "0.00", List.of());
		double conflicts = meter("asyncsql.lock.conflicts", "table:accounts");
		double successes = meter("asyncsql.lock.operations", "table:accounts", "outcome:success");
		double updates = meter("asyncsql.queries", "node:ledger", "operation:update");
		List<Integer> statuses = concurrently(50, i -> this.http.post().uri("/accounts/{id}/deposit", account.id())
			.bodyValue(Map.of("amount", new BigDecimal("1.00"))).exchange().expectBody(String.class).returnResult()
			.getStatus().value());
		assertThat(statuses).containsOnly(200).hasSize(50);
		Account credited = account(account.id());
		assertThat(credited.balance()).isEqualByComparingTo("50.00");
		assertThat(credited.version()).isEqualTo(51);
		assertThat(auditTypes(account.id())).filteredOn("deposit"::equals).hasSize(50);
		// every UPDATE the lock manager sent either landed (50) or found a newer version: a conflict it counted
		await().atMost(WAIT).untilAsserted(() -> {
			double conflictsMet = meter("asyncsql.lock.conflicts", "table:accounts") - conflicts;
			assertThat(meter("asyncsql.lock.operations", "table:accounts", "outcome:success") - successes).isEqualTo(50);
			assertThat(meter("asyncsql.queries", "node:ledger", "operation:update") - updates)
				.isEqualTo(50 + conflictsMet);
			if (concurrentStatementsInterleave()) {
				assertThat(conflictsMet).isPositive();
			}
		});
		double conflictsMet = meter("asyncsql.lock.conflicts", "table:accounts") - conflicts;
		WebTestClient.BodyContentSpec endpoint = this.http.get().uri("/actuator/asyncsql").exchange().expectStatus()
			.isOk().expectBody()
			.jsonPath("$.locking.metrics.versionConflicts").value(value -> assertThat(((Number) value).longValue())
				.isGreaterThanOrEqualTo((long) conflictsMet));
		if (conflictsMet > 0) {
			endpoint.jsonPath("$.locking.recentConflicts[?(@.recordId == " + account.id() + ")]").isNotEmpty();
		}
	}

	@Test
	void concurrentRandomTransfersKeepTheTotalAndNeverOverdraw() throws Exception {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(open("Pool " + i, "100.00", List.of()).id());
		}
		double deadlockRetries = meter("asyncsql.retries", "node:ledger", "reason:deadlock");
		Random random = new Random(20240101);
		List<Map<String, Object>> requests = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			int from = random.nextInt(5);
			int to = (from + 1 + random.nextInt(4)) % 5;
			BigDecimal amount = BigDecimal.valueOf(100 + random.nextInt(6000), 2); // 1.00 .. 60.99
			requests.add(Map.of("fromAccount", ids.get(from), "toAccount", ids.get(to), "amount", amount));
		}
		List<EntityExchangeResult<String>> responses = concurrently(100, i -> this.http.post().uri("/transfers")
			.bodyValue(requests.get(i)).exchange().expectBody(String.class).returnResult());
		assertThat(responses).extracting(response -> response.getStatus().value()).containsOnly(201, 422);
		List<Transfer> done = responses.stream().filter(response -> response.getStatus().value() == 201)
			.map(response -> this.json.readValue(response.getResponseBody(), Transfer.class)).toList();
		assertThat(done).isNotEmpty();
		String idList = ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
		assertThat(scalar("SELECT sum(balance) FROM accounts WHERE id IN (" + idList + ")"))
			.isEqualTo(new BigDecimal("500.00"));
		assertThat((BigDecimal) scalar("SELECT min(balance) FROM accounts WHERE id IN (" + idList + ")"))
			.isGreaterThanOrEqualTo(BigDecimal.ZERO);
		// every 2xx has its row, and nothing else moved money between these accounts
		assertThat(count("SELECT count(*) FROM transfers WHERE from_account IN (" + idList + ")")).isEqualTo(done.size());
		Map<Long, BigDecimal> expected = new HashMap<>();
		Map<Long, Long> writes = new HashMap<>();
		ids.forEach(id -> expected.put(id, new BigDecimal("100.00")));
		for (Transfer transfer : done) {
			assertThat(query("SELECT from_account, to_account, amount FROM transfers WHERE id = " + transfer.id()))
				.containsExactly(List.of(transfer.fromAccount(), transfer.toAccount(), transfer.amount()));
			expected.merge(transfer.fromAccount(), transfer.amount().negate(), BigDecimal::add);
			expected.merge(transfer.toAccount(), transfer.amount(), BigDecimal::add);
			writes.merge(transfer.fromAccount(), 1L, Long::sum);
			writes.merge(transfer.toAccount(), 1L, Long::sum);
		}
		for (long id : ids) {
			Account account = account(id);
			assertThat(account.balance()).as("balance of %d", id).isEqualByComparingTo(expected.get(id));
			assertThat(account.version()).as("version of %d", id).isEqualTo(1 + writes.getOrDefault(id, 0L));
			assertThat(audit(id)).as("audit events of %d", id).hasSize((int) (1 + writes.getOrDefault(id, 0L)));
		}
		// both rows are locked in id order, so transfers queue up instead of deadlocking
		assertThat(meter("asyncsql.retries", "node:ledger", "reason:deadlock")).isEqualTo(deadlockRetries);
	}

	// ---------------------------------------------------------------- operations

	@Test
	void actuatorShowsHealthNodesAndPrometheusSeries() {
		open("Observed", "1.00", List.of());
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.asyncsql.components.ledger.status").isEqualTo("UP")
			.jsonPath("$.components.asyncsql.components.reader.status").isEqualTo("UP")
			.jsonPath("$.components.asyncsql.components.admin.status").isEqualTo("UP");
		this.http.get().uri("/actuator/asyncsql").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.nodes.ledger.transactionMode").isEqualTo("manual")
			.jsonPath("$.nodes.reader.transactionMode").isEqualTo("none")
			.jsonPath("$.nodes.admin.validation.allowAdmin").isEqualTo(true)
			.jsonPath("$.nodes.ledger.validation.allowAdmin").isEqualTo(false)
			.jsonPath("$.nodes.ledger.pool.name").isEqualTo("ledger-pool")
			.jsonPath("$.nodes.reader.pool.name").isEqualTo("ledger-pool")
			.jsonPath("$.nodes.admin.pool.name").isEqualTo("ledger-pool")
			.jsonPath("$.nodes.ledger.pool.sharedBy").value(nodes -> assertThat(nodes).asInstanceOf(LIST)
				.containsExactlyInAnyOrder("ledger", "reader", "admin"));
		String prometheus = this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(prometheus).containsPattern("asyncsql_queries_seconds_count\\{[^}]*node=\"ledger\"[^}]*operation=\"insert\"")
			.containsPattern("asyncsql_transactions_total\\{[^}]*node=\"ledger\"[^}]*outcome=\"commit\"")
			.containsPattern("r2dbc_pool_acquired_connections\\{[^}]*name=\"ledger-pool\"")
			.containsPattern("asyncsql_pool_acquire_seconds_count\\{[^}]*pool=\"ledger-pool\"");
	}

	@Test
	void unknownRoutesAreProblemsToo() {
		this.http.get().uri("/nowhere").exchange().expectStatus().isNotFound()
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.status").isEqualTo(404);
	}

	@Test
	void theSchemaCanBeAppliedAgainWithoutLosingData() {
		Account account = open("Survivor", "7.00", List.of());
		assertThat(this.schemaInitializer.initialize().block(WAIT)).isPositive();
		assertThat(account(account.id())).isEqualTo(account);
	}

	// ---------------------------------------------------------------- helpers

	private static String uniqueTag() {
		return "tag-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private Account open(String owner, String balance, List<String> tags) {
		return this.http.post().uri("/accounts")
			.bodyValue(Map.of("owner", owner, "initialBalance", new BigDecimal(balance), "tags", tags))
			.exchange().expectStatus().isCreated().expectBody(Account.class).returnResult().getResponseBody();
	}

	private Account account(long id) {
		return this.http.get().uri("/accounts/{id}", id).exchange().expectStatus().isOk().expectBody(Account.class)
			.returnResult().getResponseBody();
	}

	private void deposit(long id, String amount) {
		this.http.post().uri("/accounts/{id}/deposit", id).bodyValue(Map.of("amount", new BigDecimal(amount))).exchange()
			.expectStatus().isOk();
	}

	private WebTestClient.ResponseSpec transfer(long from, long to, String amount) {
		return this.http.post().uri("/transfers")
			.bodyValue(Map.of("fromAccount", from, "toAccount", to, "amount", new BigDecimal(amount)))
			.exchange();
	}

	private WebTestClient.ResponseSpec change(long id, long version, Map<String, ?> fields) {
		Map<String, Object> body = new LinkedHashMap<>(fields);
		body.put("version", version);
		return this.http.patch().uri("/accounts/{id}", id).bodyValue(body).exchange();
	}

	private List<AuditEvent> audit(long id) {
		return this.http.get().uri("/audit/{id}", id).exchange().expectStatus().isOk().expectBody(EVENTS).returnResult()
			.getResponseBody();
	}

	private List<Object> auditTypes(long id) {
		return audit(id).stream().map(event -> event.eventData().get("type")).toList();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> snapshot(AuditEvent event) {
		return (Map<String, Object>) event.eventData().get("account");
	}

	private static WebTestClient.BodyContentSpec problem(WebTestClient.ResponseSpec response, int status, String type) {
		return response.expectStatus().isEqualTo(status)
			.expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(status)
			.jsonPath("$.type").isEqualTo(PROBLEM + type)
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.detail").isNotEmpty();
	}

	private Object scalar(String sql) {
		List<List<Object>> rows = query(sql);
		assertThat(rows).as(sql).hasSize(1);
		assertThat(rows.get(0)).as(sql).hasSize(1);
		return rows.get(0).get(0);
	}

	private long count(String sql) {
		return ((Number) scalar(sql)).longValue();
	}

	/**
	 * A meter's count (or a counter's total) from {@code /actuator/metrics}, summed over the tags not given.
	 * @param name the meter
	 * @param tags {@code key:value} filters
	 * @return the value, 0 when the meter does not exist yet
	 */
	private double meter(String name, String... tags) {
		StringBuilder uri = new StringBuilder("/actuator/metrics/").append(name);
		for (int i = 0; i < tags.length; i++) {
			uri.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		EntityExchangeResult<Map<String, Object>> result = this.http.get().uri(uri.toString()).exchange()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult();
		if (result.getStatus().value() == 404) {
			return 0;
		}
		assertThat(result.getStatus().value()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> measurements = (List<Map<String, Object>>) result.getResponseBody().get("measurements");
		return measurements.stream()
			.filter(m -> m.get("statistic").equals("COUNT"))
			.mapToDouble(m -> ((Number) m.get("value")).doubleValue())
			.findFirst()
			.orElseThrow(() -> new AssertionError("no COUNT for " + uri));
	}

	/**
	 * Runs calls at the same time: every call waits on one gate, opened once all threads are ready.
	 */
	private static <T> List<T> concurrently(int calls, IntFunction<T> call) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(calls);
		try {
			CountDownLatch ready = new CountDownLatch(calls);
			CountDownLatch gate = new CountDownLatch(1);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < calls; i++) {
				int index = i;
				futures.add(threads.submit(() -> {
					ready.countDown();
					gate.await();
					return call.apply(index);
				}));
			}
			assertThat(ready.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			gate.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			threads.shutdownNow();
		}
	}

}
