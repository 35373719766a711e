package dev.switchboard.bench.measure;

import com.alibaba.fastjson2.JSON;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What a server's admin listener reports ({@code POST /gc} or {@code GET /stats}): its open connections, online
 * users, heap in use and resident set size ({@code rssBytes} 0 where unknown).
 */
public record ServerStats(long connections, long onlineUsers, long heapUsedBytes, long rssBytes) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Runs a full GC on the server and returns its figures after it, so heap figures taken at two times compare. */
    public static ServerStats afterGc(InetSocketAddress admin) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + "/gc"))
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("admin listener " + admin + " answered POST /gc with " + response.statusCode()
                    + ": " + response.body().strip());
        }
        return parse(response.body());
    }

    static ServerStats parse(String json) {
        return JSON.parseObject(json, ServerStats.class);
    }
}
