package io.asyncsql.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.asyncsql.autoconfigure.actuate.AsyncSqlNodeHealthIndicator;
import io.asyncsql.autoconfigure.actuate.ReplicaDescriptor;
import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.test.DisposablePostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeReactiveHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node's health with read replicas, on a primary and a streaming standby the test starts as throwaway clusters,
 * and a second replica that nothing listens on: health lists each replica with whether it serves reads and its lag,
 * and the node stays UP while a replica is down or lagging, since its reads go to the primary.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaHealthTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	private DisposablePostgres primary;

	private DisposablePostgres standby;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AsyncSqlAutoConfiguration.class, R2dbcAutoConfiguration.class,
				AsyncSqlObservabilityAutoConfiguration.class));

	@BeforeAll
	void startPair() {
		this.primary = DisposablePostgres.builder().replicationSource().start();
		this.standby = DisposablePostgres.builder().standbyOf(this.primary, "health_replica").start();
		this.primary.sql("CREATE TABLE marks (id bigint PRIMARY KEY)");
		await().atMost(WAIT).until(() -> this.standby.count("SELECT count(*) FROM pg_class WHERE relname = 'marks'") == 1);
	}

	@AfterAll
	void stopPair() {
		if (this.standby != null) {
			this.standby.close();
		}
		if (this.primary != null) {
			this.primary.close();
		}
	}

	@Test
	void healthListsEachReplicaAndStaysUpWhileOneIsDownOrLagging() {
		String prefix = "asyncsql.nodes.reads.";
		this.runner.withPropertyValues(prefix + "database-type=postgresql", prefix + "host=127.0.0.1",
				prefix + "port=" + this.primary.port(), prefix + "database=postgres", prefix + "username=postgres",
				prefix + "pool.initial-size=0", prefix + "retry.max-retries=0", prefix + "max-replica-lag=1s",
				prefix + "replicas[0].host=127.0.0.1", prefix + "replicas[0].port=" + this.standby.port(),
				// nothing listens on port 1: this replica is down from the start
				prefix + "replicas[1].host=127.0.0.1", prefix + "replicas[1].port=1")
			.run(context -> {
				AsyncSqlNodeHealthIndicator reads = (AsyncSqlNodeHealthIndicator) context
					.getBean("asyncsqlHealthContributor", CompositeReactiveHealthContributor.class)
					.getContributor("reads");
				await().atMost(WAIT).untilAsserted(() -> {
					Health health = reads.health().block(WAIT);
					assertThat(health.getStatus().toString()).isEqualTo("UP");
					List<ReplicaDescriptor> replicas = replicas(health);
					assertThat(replicas).extracting(ReplicaDescriptor::name)
						.containsExactly("reads-replica-1", "reads-replica-2");
					assertThat(replicas.get(0).serving()).isTrue();
					assertThat(replicas.get(0).lagSeconds()).isNotNull().isBetween(0.0, 1.0);
					assertThat(replicas.get(0).target()).contains(":" + this.standby.port());
					assertThat(replicas.get(1).serving()).isFalse();
					assertThat(replicas.get(1).lagSeconds()).as("a replica that cannot be probed has no lag").isNull();
				});
				// the standby stops replaying while the primary goes on writing: its lag passes the bound
				this.standby.sql("SELECT pg_wal_replay_pause()");
				try {
					AsyncSqlNode node = context.getBean("reads", AsyncSqlNode.class);
					await().atMost(WAIT).untilAsserted(() -> {
						node.execute("INSERT INTO marks (id) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM marks))")
							.block(WAIT);
						Health health = reads.health().block(WAIT);
						assertThat(health.getStatus().toString()).isEqualTo("UP");
						ReplicaDescriptor lagging = replicas(health).get(0);
						assertThat(lagging.serving()).isFalse();
						assertThat(lagging.lagSeconds()).isNotNull().isGreaterThan(1.0);
					});
				}
				finally {
					this.standby.sql("SELECT pg_wal_replay_resume()");
				}
				await().atMost(WAIT).untilAsserted(
						() -> assertThat(replicas(reads.health().block(WAIT)).get(0).serving()).isTrue());
			});
	}

	@SuppressWarnings("unchecked")
	private static List<ReplicaDescriptor> replicas(Health health) {
		return (List<ReplicaDescriptor>) health.getDetails().get("replicas");
	}

}
