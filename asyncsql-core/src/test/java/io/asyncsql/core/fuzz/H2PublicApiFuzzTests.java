package io.asyncsql.core.fuzz;

import io.asyncsql.test.H2Database;
import io.asyncsql.test.TestTarget;

class H2PublicApiFuzzTests extends PublicApiFuzzTests {

	@Override
	protected TestTarget createTarget() {
		return H2Database.create("fuzz");
	}

	@Override
	protected String largeTextType() {
		return "text";
	}

}
