package io.asyncsql.autoconfigure;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import io.asyncsql.autoconfigure.actuate.AsyncSqlEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AOT can process an application with nodes (the node, transaction manager and pool beans are written out
 * as factory-method calls), and the runtime hints cover what asyncsql looks up reflectively.
 */
class AotProcessingTests {

	@Test
	void anApplicationWithNodesIsProcessedAheadOfTime() throws Exception {
		InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("nodes",
					Map.of("asyncsql.nodes.main.database-type", "h2", "asyncsql.nodes.reports.database-type", "h2",
							"asyncsql.nodes.reports.database", "reports", "asyncsql.nodes.main.primary", "true")));
			context.register(App.class);
			DefaultGenerationContext generation = new DefaultGenerationContext(
					new ClassNameGenerator(ClassName.get(App.class)), files);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
			generation.writeGeneratedContent();
		}
		StringBuilder sources = new StringBuilder();
		files.getGeneratedFiles(Kind.SOURCE).forEach((path, content) -> {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			try (var in = content.getInputStream()) {
				in.transferTo(out);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			sources.append(out);
		});
		assertThat(sources).contains("\"asyncSqlNodeBeans\"")
			.contains("\"node\"")
			.contains("\"transactionManager\"")
			.contains("\"connectionFactory\"")
			.contains("addIndexedArgumentValue(0, \"main\")")
			.contains("addIndexedArgumentValue(0, \"reports\")");
	}

	@Test
	void runtimeHintsCoverDriversJacksonTlsAndTheEndpoint() {
		RuntimeHints hints = new RuntimeHints();
		SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class)
			.forEach(registrar -> registrar.registerHints(hints, getClass().getClassLoader()));
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("io.r2dbc.h2.H2ConnectionFactoryProvider"))
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of("io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider"))
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/services/io.r2dbc.spi.ConnectionFactoryProvider"))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("tools.jackson.databind.JsonNode")))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of("io.netty.handler.ssl.SslContextBuilder"))
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(AsyncSqlEndpoint.NodeDescriptor.class)).accepts(hints);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
