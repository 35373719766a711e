package dev.switchboard.framework;

import java.util.Objects;

/**
 * What an {@link AdminEndpoint} answers: a status, a content type and a UTF-8 body.
 *
 * @param status the HTTP status code, 100 to 599
 * @param contentType the media type of the body, such as {@code application/json}
 * @param body the body, sent as UTF-8
 */
public record AdminResponse(int status, String contentType, String body) {

    public AdminResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status outside 100..599: " + status);
        }
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
    }

    /** 200 with a JSON body. */
    public static AdminResponse json(String json) {
        return new AdminResponse(200, "application/json", json);
    }

    /** 200 with a plain-text body. */
    public static AdminResponse text(String text) {
        return new AdminResponse(200, "text/plain; charset=utf-8", text);
    }

    /** A status with a one-line plain-text explanation, for errors. */
    public static AdminResponse status(int status, String message) {
        return new AdminResponse(status, "text/plain; charset=utf-8", message + "\n");
    }
}
