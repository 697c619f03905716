package io.asyncsql.core.fuzz;

import io.asyncsql.test.MariaDbSchema;
import io.asyncsql.test.TestTarget;

class MariaDbPublicApiFuzzTests extends PublicApiFuzzTests {

	@Override
	protected TestTarget createTarget() {
		return MariaDbSchema.create("fuzz");
	}

	@Override
	protected String largeTextType() {
		return "longtext";
	}

}
