package io.asyncsql.autoconfigure.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small application that uses the starter the way users do: nodes from properties, a transactional service
 * and a Spring Data repository.
 */
@SpringBootApplication
public class OrdersApplication {

}
