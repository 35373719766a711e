package dev.switchboard.im.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin listener's {@code GET /stats} (or {@code POST /gc}) answer, fetched over loopback HTTP. */
public record AdminStats(long connections, long onlineUsers, long heapUsedBytes, long rssBytes) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code GET /stats} on 127.0.0.1:{@code adminPort}. */
    public static AdminStats fetch(int adminPort) throws IOException, InterruptedException {
        return parse(request(adminPort, "GET", "/stats", null));
    }

    /** {@code POST /gc}: the statistics after a full GC. */
    public static AdminStats afterGc(int adminPort) throws IOException, InterruptedException {
        return parse(request(adminPort, "POST", "/gc", null));
    }

    /** One request; the token is sent as a bearer token unless null. */
    public static HttpResponse<String> request(int adminPort, String method, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AdminStats parse(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        return new AdminStats(field(body, "connections"), field(body, "onlineUsers"), field(body, "heapUsedBytes"),
                field(body, "rssBytes"));
    }

    private static long field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return Long.parseLong(matcher.group(1));
    }
}
