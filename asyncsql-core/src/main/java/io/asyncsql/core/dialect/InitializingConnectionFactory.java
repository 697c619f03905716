package io.asyncsql.core.dialect;

import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A connection factory that prepares each new connection's session (one round trip, when the connection is
 * opened, never per statement) and closes the connection if that fails.
 */
final class InitializingConnectionFactory implements ConnectionFactory, Wrapped<ConnectionFactory> {

	private final ConnectionFactory delegate;

	private final Function<Connection, Mono<Void>> initializer;

	InitializingConnectionFactory(ConnectionFactory delegate, Function<Connection, Mono<Void>> initializer) {
		this.delegate = delegate;
		this.initializer = initializer;
	}

	@Override
	public Publisher<? extends Connection> create() {
		return Mono.from(this.delegate.create()).flatMap(connection -> this.initializer.apply(connection)
			.thenReturn(connection)
			.onErrorResume(error -> Mono.from(connection.close()).onErrorResume(ignored -> Mono.empty())
				.then(Mono.error(error))));
	}

	@Override
	public ConnectionFactoryMetadata getMetadata() {
		return this.delegate.getMetadata();
	}

	@Override
	public ConnectionFactory unwrap() {
		return this.delegate;
	}

}
