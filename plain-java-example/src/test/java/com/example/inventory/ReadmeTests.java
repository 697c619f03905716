package com.example.inventory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README works on any machine: it names no path of the machine it was written on, and every file it links to
 * is in the repository.
 */
class ReadmeTests {

	private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.$}])/(usr|opt|home|root|work|tmp|Users)/\\S*");

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

	private final Path readme = Path.of(System.getProperty("readme"));

	@Test
	void namesNoMachineSpecificPath() throws Exception {
		List<String> found = new ArrayList<>();
		Matcher path = MACHINE_PATH.matcher(Files.readString(this.readme, StandardCharsets.UTF_8));
		while (path.find()) {
			found.add(path.group());
		}
		assertThat(found).as("paths of one machine in README.md; use a variable or a relative path").isEmpty();
	}

	@Test
	void linksOnlyToFilesThatExist() throws Exception {
		List<String> missing = new ArrayList<>();
		Matcher link = LINK.matcher(Files.readString(this.readme, StandardCharsets.UTF_8));
		while (link.find()) {
			String target = link.group(1);
			if (!target.contains("://") && !Files.exists(this.readme.resolveSibling(target))) {
				missing.add(target);
			}
		}
		assertThat(missing).as("links in README.md to files that are not in the repository").isEmpty();
	}

}
