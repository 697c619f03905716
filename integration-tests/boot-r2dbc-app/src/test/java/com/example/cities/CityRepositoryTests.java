package com.example.cities;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.r2dbc.test.autoconfigure.DataR2dbcTest;

import static org.assertj.core.api.Assertions.assertThat;

@DataR2dbcTest
class CityRepositoryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private CityRepository repository;

	@Test
	void findsTheCitiesOfAState() {
		assertThat(this.repository.findByState("CA").map(City::name).collectList().block(WAIT))
			.containsExactly("San Francisco");
	}

	@Test
	void savesAndReadsBackACity() {
		City saved = this.repository.save(new City(null, "Porto", "Norte", "Portugal")).block(WAIT);
		assertThat(saved.id()).isNotNull();
		assertThat(this.repository.findById(saved.id()).block(WAIT)).isEqualTo(saved);
		this.repository.delete(saved).block(WAIT);
		assertThat(this.repository.existsById(saved.id()).block(WAIT)).isFalse();
	}

}
