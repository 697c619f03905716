package io.asyncsql.autoconfigure.stack;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

public interface LibraryBookRepository extends ReactiveCrudRepository<LibraryBook, Long> {

	Flux<LibraryBook> findByTitle(String title);

}
