package io.asyncsql.autoconfigure.app;

import java.math.BigDecimal;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import reactor.core.publisher.Mono;

@Service
public class OrderService {

	private final AsyncSqlNode orders;

	public OrderService(@Qualifier("orders") AsyncSqlNode orders) {
		this.orders = orders;
	}

	/**
	 * Records an order and its audit line in one transaction; fails after writing when asked to.
	 */
	@Transactional("ordersTransactionManager")
	public Mono<Void> placeOrder(long id, BigDecimal total, boolean failAfterWriting) {
		return this.orders.execute("INSERT INTO orders (id, total) VALUES (:id, :total)", Map.of("id", id, "total", total))
			.then(this.orders.execute("INSERT INTO audit (order_id) VALUES (:id)", Map.of("id", id)))
			.then(failAfterWriting ? Mono.error(new IllegalStateException("payment declined")) : Mono.empty());
	}

}
