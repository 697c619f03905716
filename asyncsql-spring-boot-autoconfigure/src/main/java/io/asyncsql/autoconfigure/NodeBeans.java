package io.asyncsql.autoconfigure;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.AsyncSqlNodes;
import io.r2dbc.pool.ConnectionPool;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;

/**
 * The factory behind the beans {@link AsyncSqlBeanRegistrar} registers for each node: plain factory methods taking
 * the node's name, so that Spring AOT can generate the bean definitions ahead of time.
 */
public final class NodeBeans {

	private final AsyncSqlNodes nodes;

	NodeBeans(AsyncSqlNodes nodes) {
		this.nodes = nodes;
	}

	/**
	 * @param name the node name
	 * @return the node
	 */
	public AsyncSqlNode node(String name) {
		return this.nodes.node(name);
	}

	/**
	 * @param name the node name
	 * @return a transaction manager over the node's pool
	 */
	public R2dbcTransactionManager transactionManager(String name) {
		return new R2dbcTransactionManager(this.nodes.node(name).pool().connectionFactory());
	}

	/**
	 * @param owner the first node of the pool
	 * @return the pool
	 */
	public ConnectionPool connectionFactory(String owner) {
		return this.nodes.node(owner).pool().connectionFactory();
	}

}
