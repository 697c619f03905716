package com.example.cities;

import org.springframework.data.annotation.Id;

public record City(@Id Long id, String name, String state, String country) {

	public City withName(String name) {
		return new City(this.id, name, this.state, this.country);
	}

}
