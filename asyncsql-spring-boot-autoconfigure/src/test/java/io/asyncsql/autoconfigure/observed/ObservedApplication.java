package io.asyncsql.autoconfigure.observed;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application with Actuator and Prometheus, to watch nodes the way operators do.
 */
@SpringBootApplication
public class ObservedApplication {

}
