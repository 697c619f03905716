package io.asyncsql.autoconfigure.app;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

public interface CustomerRepository extends ReactiveCrudRepository<Customer, Long> {

	Flux<Customer> findByName(String name);

}
