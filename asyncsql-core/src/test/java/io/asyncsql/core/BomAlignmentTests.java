package io.asyncsql.core;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code asyncsql-bom} hands applications the versions this build is tested with: each of its version properties
 * equals the property of the same name in the Spring Boot BOM the build resolves (the surefire configuration
 * passes both files).
 */
class BomAlignmentTests {

	@Test
	void everyVersionOfTheBomIsTheOneTheTestsRunWith() throws Exception {
		Map<String, String> bom = properties(System.getProperty("asyncsql.bom"));
		Map<String, String> boot = properties(System.getProperty("spring-boot.bom"));
		assertThat(bom).containsKeys("netty.version", "reactor-bom.version", "r2dbc-pool.version",
				"r2dbc-postgresql.version", "spring-framework.version");
		Map<String, String> differing = new LinkedHashMap<>();
		bom.forEach((name, version) -> {
			if (!version.equals(boot.get(name))) {
				differing.put(name, "asyncsql-bom has " + version + ", Spring Boot's BOM " + boot.get(name));
			}
		});
		assertThat(differing)
			.as("set these properties in asyncsql-bom/pom.xml to the Spring Boot BOM's values, which the tests use")
			.isEmpty();
	}

	private static Map<String, String> properties(String path) throws Exception {
		assertThat(path).as("the POM's path, passed by the surefire configuration of asyncsql-core").isNotBlank();
		File file = new File(path);
		assertThat(file).as(path).isFile();
		DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
		factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
		Document pom = factory.newDocumentBuilder().parse(file);
		Map<String, String> properties = new LinkedHashMap<>();
		NodeList sections = pom.getDocumentElement().getChildNodes();
		for (int i = 0; i < sections.getLength(); i++) {
			if (sections.item(i) instanceof Element section && section.getTagName().equals("properties")) {
				NodeList entries = section.getChildNodes();
				for (int j = 0; j < entries.getLength(); j++) {
					Node entry = entries.item(j);
					if (entry instanceof Element property) {
						properties.put(property.getTagName(), property.getTextContent().trim());
					}
				}
			}
		}
		return properties;
	}

}
