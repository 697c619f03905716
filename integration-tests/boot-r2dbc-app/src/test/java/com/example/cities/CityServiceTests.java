package com.example.cities;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest
class CityServiceTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private CityService service;

	@Autowired
	private CityRepository repository;

	@Autowired
	private DatabaseClient databaseClient;

	@Test
	void aFailedRenameLeavesEveryCityAsItWas() {
		assertThatThrownBy(() -> this.service.renameAll("USA", " (renamed)", true).blockLast(WAIT))
			.hasMessageContaining("renaming stopped");
		assertThat(this.repository.findAll().map(City::name).collectList().block(WAIT))
			.noneMatch(name -> name.endsWith(" (renamed)"));
	}

	@Test
	void aRenameCommitsEveryCity() {
		this.service.renameAll("France", " (FR)", false).blockLast(WAIT);
		assertThat(this.databaseClient.sql("SELECT name FROM city WHERE country = :country")
			.bind("country", "France")
			.map(row -> row.get("name", String.class))
			.all()
			.collectList()
			.block(WAIT)).containsExactly("Lyon (FR)");
	}

}
