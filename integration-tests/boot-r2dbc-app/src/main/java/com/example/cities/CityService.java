package com.example.cities;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Service
public class CityService {

	private final CityRepository cities;

	public CityService(CityRepository cities) {
		this.cities = cities;
	}

	/** Renames every city of a country, all or none. */
	@Transactional
	public Flux<City> renameAll(String country, String suffix, boolean failHalfway) {
		return this.cities.findAll()
			.filter(city -> city.country().equals(country))
			.concatMap(city -> this.cities.save(city.withName(city.name() + suffix)))
			.concatWith(failHalfway ? Mono.error(new IllegalStateException("renaming stopped")) : Mono.empty());
	}

}
