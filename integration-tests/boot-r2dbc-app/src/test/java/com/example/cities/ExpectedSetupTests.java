package com.example.cities;

import java.util.Set;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of the application: checks that each run of its tests really had the setup it is named after
 * ({@code cities.expected-setup}, set by the build), so a run cannot pass on the wrong connection factory.
 */
@SpringBootTest
class ExpectedSetupTests {

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ConnectionFactory connectionFactory;

	@Test
	void theRunHasTheSetupItIsNamedAfter() throws Exception {
		String expected = System.getProperty("cities.expected-setup", "");
		boolean starterPresent = ClassUtils.isPresent("io.asyncsql.core.AsyncSqlNodes", getClass().getClassLoader());
		switch (expected) {
			case "without-starter" -> {
				assertThat(starterPresent).as("asyncsql is off the class path").isFalse();
				assertThat(this.context.getBeanNamesForType(ConnectionFactory.class)).containsExactly("connectionFactory");
			}
			case "starter-without-nodes" -> {
				assertThat(starterPresent).isTrue();
				assertThat(nodeNames()).isEmpty();
				assertThat(this.context.getBeanNamesForType(ConnectionFactory.class)).containsExactly("connectionFactory");
			}
			case "node" -> {
				assertThat(nodeNames()).hasSize(1).allMatch("main"::equals);
				Object node = this.context.getBean("main");
				Object pool = node.getClass().getMethod("pool").invoke(node);
				assertThat(pool.getClass().getMethod("connectionFactory").invoke(pool)).isSameAs(this.connectionFactory);
			}
			default -> throw new AssertionError("Run these tests through Maven (./mvnw verify -pl "
					+ "integration-tests/boot-r2dbc-app -am), which sets cities.expected-setup for each run; got '"
					+ expected + "'");
		}
	}

	private Set<?> nodeNames() throws Exception {
		Class<?> nodes = ClassUtils.forName("io.asyncsql.core.AsyncSqlNodes", getClass().getClassLoader());
		Object registry = this.context.getBean(nodes);
		return (Set<?>) nodes.getMethod("names").invoke(registry);
	}

}
