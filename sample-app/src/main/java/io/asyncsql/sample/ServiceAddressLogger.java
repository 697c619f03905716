package io.asyncsql.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Prints where the service listens once it is ready, so that whoever started it knows what to call (the port
 * may be chosen at random with {@code --server.port=0}).
 */
@Component
class ServiceAddressLogger implements ApplicationListener<ApplicationReadyEvent> {

	private static final Logger logger = LoggerFactory.getLogger(ServiceAddressLogger.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)
				|| context.getWebServer() == null) {
			return;
		}
		Environment environment = event.getApplicationContext().getEnvironment();
		String address = environment.getProperty("server.address", "");
		// a wildcard address listens everywhere, localhost included
		String host = (address.isBlank() || address.equals("0.0.0.0") || address.equals("::")) ? "localhost" : address;
		String url = "http://" + host + ":" + context.getWebServer().getPort();
		logger.info("Funds-transfer service ready at {} (try {}/accounts?tag=premium, health at {}/actuator/health)",
				url, url, url);
	}

}
