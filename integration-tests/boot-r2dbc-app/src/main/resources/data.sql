INSERT INTO city (name, state, country) VALUES ('Washington', 'DC', 'USA');
INSERT INTO city (name, state, country) VALUES ('San Francisco', 'CA', 'USA');
INSERT INTO city (name, state, country) VALUES ('Lyon', 'Auvergne-Rhone-Alpes', 'France');
