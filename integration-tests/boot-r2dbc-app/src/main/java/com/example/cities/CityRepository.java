package com.example.cities;

import org.springframework.data.repository.reactive.ReactiveCrudRepository;
import reactor.core.publisher.Flux;

public interface CityRepository extends ReactiveCrudRepository<City, Long> {

	Flux<City> findByState(String state);

}
