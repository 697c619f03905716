INSERT INTO library_book (title) VALUES ('Dune');
