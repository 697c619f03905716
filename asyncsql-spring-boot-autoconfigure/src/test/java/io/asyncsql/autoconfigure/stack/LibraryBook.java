package io.asyncsql.autoconfigure.stack;

import org.springframework.data.annotation.Id;

/** Mapped to {@code library_book} by Spring Data's default naming, with its default identifier quoting. */
public record LibraryBook(@Id Long id, String title) {

}
