package io.asyncsql.core.dialect;

import java.time.Duration;

import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.retry.TransientFailureClassifier;
import io.asyncsql.core.sql.BindingRules;
import io.asyncsql.core.sql.ParameterBinder;
import io.asyncsql.core.sql.SqlTemplateCache;
import io.asyncsql.core.validation.QueryValidator;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Result;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Everything that differs between database products: lexing rules and cached templates, bind markers and value
 * conversion, connection options, statement timeouts and cancellation, error classification, validation keyword
 * sets and identifier quoting. One instance per database type and JSON codec; instances are thread-safe.
 */
public interface Dialect extends BindingRules {

	/** @return the database product */
	DatabaseType type();

	/** @return the lexed templates of this dialect, shared by all its nodes */
	SqlTemplateCache templates();

	/** @return the binder using this dialect's rules */
	ParameterBinder binder();

	/** @return the classifier knowing this dialect's error codes */
	TransientFailureClassifier classifier();

	/** @return the validator with this dialect's keyword sets */
	QueryValidator validator();

	/**
	 * The driver options for a node: its target and credentials plus the session settings asyncsql relies on
	 * (the statement timeout, for one), with the node's own {@code options} winning over every default.
	 * @param settings the node settings
	 * @return the options
	 * @throws IllegalArgumentException when the settings cannot be expressed for this driver
	 */
	ConnectionFactoryOptions connectionOptions(NodeSettings settings);

	/**
	 * Creates the driver's (unpooled) connection factory from options made by {@link #connectionOptions} (and
	 * possibly changed by an integration since).
	 * @param settings the node settings
	 * @param options the driver options
	 * @return the factory
	 */
	default ConnectionFactory createConnectionFactory(NodeSettings settings, ConnectionFactoryOptions options) {
		return ConnectionFactories.get(options);
	}

	/**
	 * Creates the driver's (unpooled) connection factory for a node.
	 * @param settings the node settings; the statement timeout becomes a session setting where the database has one
	 * @return the factory
	 * @throws IllegalArgumentException when the settings cannot be expressed for this driver
	 */
	default ConnectionFactory createConnectionFactory(NodeSettings settings) {
		return createConnectionFactory(settings, connectionOptions(settings));
	}

	/**
	 * Converts a column value as the driver returned it into the value rows carry (for example JSON into maps,
	 * SQL arrays into lists).
	 * @param value the driver's value, not {@code null}
	 * @return the row value
	 */
	Object readValue(Object value);

	/**
	 * Converts a column value knowing the column's database type, for products whose driver returns some types
	 * (JSON, for one) in a form that does not tell them apart. By default the same as {@link #readValue(Object)}.
	 * @param value the driver's value, not {@code null}
	 * @param nativeTypeName the column's type name as the driver reports it
	 * @return the row value
	 */
	default Object readColumn(Object value, String nativeTypeName) {
		return readValue(value);
	}

	/**
	 * Whether a message the database sent with a result is a failure of the statement, rather than a notice or a
	 * warning that leaves it successful. By default every message is a failure.
	 * @param message the message
	 * @return {@code true} when the statement failed
	 */
	default boolean isFailure(Result.Message message) {
		return true;
	}

	/**
	 * Asks the server to cancel whatever the connection is running.
	 * @param connection a connection of this dialect (possibly wrapped by the pool)
	 * @return completes when the request was sent
	 */
	Mono<Void> cancelStatement(Connection connection);

	/**
	 * Raises the connection's server-side statement timeout for the next statements.
	 * @param connection the connection
	 * @param timeout the new timeout
	 * @return completes when set; empty when the dialect has no server-side timeout to change
	 */
	Mono<Void> setStatementTimeout(Connection connection, Duration timeout);

	/**
	 * Restores the connection's statement timeout to its session default.
	 * @param connection the connection
	 * @return completes when reset
	 */
	Mono<Void> resetStatementTimeout(Connection connection);

	/**
	 * Whether a failure is the server cancelling a statement (timeout or cancel request).
	 * @param sqlState the failure's SQLState
	 * @param vendorCode the failure's vendor code
	 * @return {@code true} for cancellations
	 */
	boolean isCancellation(@Nullable String sqlState, int vendorCode);

	/**
	 * Quotes an identifier the library writes into SQL itself. The caller checks it first against a strict
	 * pattern; quoting keeps reserved words and case intact.
	 * @param identifier a checked identifier
	 * @return the quoted identifier
	 */
	String quoteIdentifier(String identifier);

	/** @return the cheapest statement that needs a round trip, such as {@code SELECT 1} */
	String pingQuery();

}
