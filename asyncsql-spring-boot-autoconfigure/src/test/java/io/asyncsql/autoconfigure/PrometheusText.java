package io.asyncsql.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Prometheus text exposition format, and has it checked by {@code promtool check metrics} (from
 * Prometheus, Debian package {@code prometheus}).
 */
final class PrometheusText {

	private static final Pattern SAMPLE = Pattern.compile(
			"(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(?<labels>.*)})?\\s+(?<value>[-+0-9.eE]+|NaN|[+-]Inf)(?:\\s+-?\\d+)?");

	private static final Pattern LABEL = Pattern.compile("(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=\"(?<value>(?:[^\"\\\\]|\\\\.)*)\"");

	/** One sample line. */
	record Sample(String name, Map<String, String> labels, double value) {
	}

	private PrometheusText() {
	}

	/**
	 * Parses every sample, failing on any line that is not valid exposition format.
	 * @param text the scrape
	 * @return the samples
	 */
	static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		Map<String, String> types = new HashMap<>();
		for (String line : text.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			if (line.startsWith("# TYPE ")) {
				String[] parts = line.split(" ");
				if (parts.length != 4 || !parts[3].matches("counter|gauge|histogram|summary|untyped")) {
					throw new IllegalStateException("bad TYPE line: " + line);
				}
				types.put(parts[2], parts[3]);
				continue;
			}
			if (line.startsWith("#")) {
				continue;
			}
			Matcher matcher = SAMPLE.matcher(line);
			if (!matcher.matches()) {
				throw new IllegalStateException("not a sample line: " + line);
			}
			Map<String, String> labels = new HashMap<>();
			String labelText = matcher.group("labels");
			if (labelText != null && !labelText.isEmpty()) {
				Matcher label = LABEL.matcher(labelText);
				int end = 0;
				while (label.find()) {
					if (label.start() != end && !labelText.substring(end, label.start()).equals(",")) {
						throw new IllegalStateException("bad labels: " + line);
					}
					labels.put(label.group("key"), label.group("value"));
					end = label.end();
				}
				if (end != labelText.length() && !labelText.substring(end).equals(",")) {
					throw new IllegalStateException("bad labels: " + line);
				}
			}
			String value = matcher.group("value");
			samples.add(new Sample(matcher.group("name"), labels, value.endsWith("Inf")
					? (value.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.parseDouble(value)));
		}
		return samples;
	}

	/**
	 * Runs {@code promtool check metrics} on the text.
	 * @param text the scrape
	 * @return promtool's complaints, empty when it is happy
	 * @throws IllegalStateException when promtool is not installed, saying how to install it
	 */
	static String promtool(String text) throws IOException, InterruptedException {
		Path promtool = Path.of("/usr/bin/promtool");
		if (!Files.isExecutable(promtool)) {
			throw new IllegalStateException("promtool checks the Prometheus exposition but /usr/bin/promtool is not "
					+ "installed: install it with 'apt-get install --no-install-recommends prometheus' (Debian, Ubuntu)");
		}
		Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
		process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(30, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("promtool did not finish");
		}
		// promtool exits 3 for lint warnings only (such as counters without _total); structure errors exit 1
		return (process.exitValue() == 1) ? output : "";
	}

}
