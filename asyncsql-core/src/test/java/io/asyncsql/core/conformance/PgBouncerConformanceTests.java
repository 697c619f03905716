package io.asyncsql.core.conformance;

import io.asyncsql.core.Pooler;
import io.asyncsql.test.PgBouncerSchema;
import io.asyncsql.test.TestTarget;

/**
 * The PostgreSQL conformance suite through a real PgBouncer in {@code pool_mode = transaction} with two server
 * sessions, on nodes with {@code pooler: transaction}: every behaviour holds when consecutive transactions of one
 * connection run on different server sessions shared with other clients.
 */
class PgBouncerConformanceTests extends PostgresConformanceTests {

	@Override
	protected TestTarget createTarget() {
		return PgBouncerSchema.create("bouncer", Pooler.TRANSACTION);
	}

}
