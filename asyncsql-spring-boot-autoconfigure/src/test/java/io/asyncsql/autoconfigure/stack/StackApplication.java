package io.asyncsql.autoconfigure.stack;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An ordinary Spring Data R2DBC application (an entity, a repository, a schema script) to check that everything
 * Spring Boot does with a {@code ConnectionFactory} works with and without nodes.
 */
@SpringBootApplication
public class StackApplication {

}
