package dev.switchboard.im.server.cluster;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Tests of the Redis keys themselves: one real Redis per class, emptied before each test, and a connection to it. */
abstract class OnEmptyRedis {

    private static TestRedis redis;
    private static TestRedis.Connection own;
    static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        own = redis.connect();
        connection = own.redis();
    }

    @AfterAll
    static void stopRedis() {
        own.close();
        redis.close();
    }

    @BeforeEach
    void empty() {
        connection.sync().flushall();
    }

    static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
