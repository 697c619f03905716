package io.asyncsql.sample.schema;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.sample.ledger.LedgerSql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Creates the ledger's tables through the {@code admin} node, the one node allowed to run DDL, while the
 * application context starts: the web server only starts, and takes traffic, once the schema is there. The script
 * for the node's database ({@code schema-<database>.sql}) only uses {@code IF NOT EXISTS}, so starting again
 * against an existing schema changes nothing; it runs in one transaction, so a failed start leaves nothing behind.
 */
@Component
public class SchemaInitializer implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(SchemaInitializer.class);

	// connection failures are retried by the node first; this only bounds a hung start
	private static final Duration STARTUP_LIMIT = Duration.ofMinutes(2);

	private final AsyncSqlNode admin;

	/**
	 * Creates the initializer.
	 * @param admin the node with {@code allow-admin: true}
	 */
	public SchemaInitializer(@Qualifier("admin") AsyncSqlNode admin) {
		this.admin = admin;
	}

	@Override
	public void afterPropertiesSet() {
		try {
			int statements = initialize().block(STARTUP_LIMIT);
			logger.info("Ledger schema ready on node '{}' ({}, {}): {} statements applied", this.admin.name(),
					this.admin.databaseType().id(), this.admin.pool().target(), statements);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException("Could not create the ledger schema through node '" + this.admin.name()
					+ "' at " + this.admin.pool().target() + ": " + ex.getMessage() + ". Check that the database is "
					+ "running and reachable; the postgres profile reads POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, "
					+ "POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_SCHEMA.", ex);
		}
	}

	/**
	 * Applies the schema; safe to run again.
	 * @return the number of statements run
	 */
	public Mono<Integer> initialize() {
		LedgerSql sql = LedgerSql.of(this.admin);
		List<String> statements = new ArrayList<>(sql.schemaPreamble(this.admin));
		statements.addAll(SqlScript.read(new ClassPathResource(sql.schemaScript())).statements());
		return this.admin.inTransaction(tx -> Flux.fromIterable(statements).concatMap(tx::execute))
			.count()
			.map(Long::intValue);
	}

}
