package io.asyncsql.core.fuzz;

import io.asyncsql.test.PostgresSchema;
import io.asyncsql.test.TestTarget;

class PostgresPublicApiFuzzTests extends PublicApiFuzzTests {

	@Override
	protected TestTarget createTarget() {
		return PostgresSchema.create("fuzz");
	}

	@Override
	protected String largeTextType() {
		return "text";
	}

	@Override
	protected String marker(int position) {
		return "$" + position;
	}

}
