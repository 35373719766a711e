package dev.switchboard.bench.baseline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * The relay's admin port, answering as the IM server's admin listener does ({@code GET /stats}, {@code POST /gc}), so
 * the connections workload reads both the same way. The JDK's HTTP server on a thread of its own: the relay's event
 * loops, which are what is being measured, never run a GC or serve a stats request.
 */
final class RelayAdmin implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService thread;

    private RelayAdmin(HttpServer http, ExecutorService thread) {
        this.http = http;
        this.thread = thread;
    }

    static RelayAdmin start(String host, int port, IntSupplier connections, IntSupplier onlineUsers)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        http.createContext("/stats", exchange -> answer(exchange, "GET", false, connections, onlineUsers));
        http.createContext("/gc", exchange -> answer(exchange, "POST", true, connections, onlineUsers));
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "baseline-admin");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(thread);
        http.start();
        return new RelayAdmin(http, thread);
    }

    int port() {
        return http.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, String method, boolean gc, IntSupplier connections,
            IntSupplier onlineUsers) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals(method)) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (gc) {
                System.gc();
            }
            byte[] body = ("{\"connections\":" + connections.getAsInt() + ",\"onlineUsers\":"
                    + onlineUsers.getAsInt() + ",\"heapUsedBytes\":" + ProcessMemory.heapUsedBytes()
                    + ",\"rssBytes\":" + ProcessMemory.rssBytes() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }
}
