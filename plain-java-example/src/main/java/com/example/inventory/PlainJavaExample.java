package com.example.inventory;

import java.time.Duration;
import java.util.Map;

import io.asyncsql.core.AsyncSqlNode;
import io.asyncsql.core.ConnectionSettings;
import io.asyncsql.core.DatabaseType;
import io.asyncsql.core.FetchMode;
import io.asyncsql.core.NodeSettings;
import io.asyncsql.core.QueryResult;
import io.asyncsql.core.TransactionMode;

public final class PlainJavaExample {

    public static void main(String[] args) {
        String url = (args.length > 0) ? args[0] : "r2dbc:postgresql://postgres@localhost:5432/test";
        NodeSettings settings = NodeSettings.builder("inventory")
                .connection(ConnectionSettings.ofUrl(DatabaseType.POSTGRESQL, url))
                .transactionMode(TransactionMode.AUTO)
                .timeout(Duration.ofSeconds(30))
                .build();
        try (AsyncSqlNode node = AsyncSqlNode.builder(settings).build()) {
            QueryResult items = node.execute(
                    "SELECT n AS id, 'item ' || n AS name, n * 2.50 AS price FROM generate_series(1, :count) AS n",
                    Map.of("count", 3)).block(Duration.ofSeconds(30));
            System.out.println(items);

            QueryResult total = node.execute(
                    "SELECT count(*) AS items, sum(n * 2.50) AS total FROM generate_series(1, :count) AS n",
                    Map.of("count", 3), FetchMode.ONE).block(Duration.ofSeconds(30));
            System.out.println(total.one());
        }
    }
}
