package io.asyncsql.core.fuzz;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.core.ParameterBindingException;
import io.asyncsql.test.H2Database;
import io.asyncsql.test.TestTarget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2PublicApiFuzzTests extends PublicApiFuzzTests {

	@Override
	protected TestTarget createTarget() {
		return H2Database.create("fuzz");
	}

	@Override
	protected String largeTextType() {
		return "text";
	}

	@Override
	protected String marker(int position) {
		return "$" + position;
	}

	@Test
	void aValueTheDriverCannotEncodeIsABindingFailure() {
		// H2's driver encodes when bound, and refuses an interval beyond its range with an exception of its own
		assertThatThrownBy(() -> auto().execute("SELECT :v AS v", Map.of("v", Duration.ofSeconds(Long.MAX_VALUE)))
			.block(WAIT)).isInstanceOf(ParameterBindingException.class)
			.hasMessageContaining("parameter :v")
			.hasMessageContaining("the driver refused a java.time.Duration")
			.hasMessageNotContaining(String.valueOf(Long.MAX_VALUE));
		awaitNothingAcquired();
		assertThat(auto().execute("SELECT 1 AS one").block(WAIT).rowCount()).isEqualTo(1);
	}

}
