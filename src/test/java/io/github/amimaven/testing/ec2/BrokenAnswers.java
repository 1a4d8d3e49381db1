package io.github.amimaven.testing.ec2;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Sends the {@link AccountState.BrokenAnswer}s, the same way for EC2, STS and SSM: each protocol only says what its
 * complete body would have been, for {@link AccountState.BrokenAnswer#TRUNCATED}.
 */
final class BrokenAnswers {

    private static final Map<Integer, String> REASONS = Map.of(500, "Internal Server Error", 502, "Bad Gateway",
            503, "Service Unavailable", 504, "Gateway Timeout");

    private BrokenAnswers() {
    }

    /**
     * Answers with {@code answer}; {@code complete} is the body the service would have sent with {@code status}, of
     * type {@code contentType}. Returns the outcome for the request log.
     */
    static String send(HttpExchange exchange, AccountState.BrokenAnswer answer, int status, String complete,
            String contentType) throws IOException {
        switch (answer) {
            case RESET -> {
                // closing an exchange whose headers were not sent closes its connection: the client gets no byte
                exchange.close();
                return "closed without an answer";
            }
            case EMPTY -> {
                exchange.sendResponseHeaders(status, -1);
                return status + " empty";
            }
            case HTML -> {
                String title = status + " " + REASONS.getOrDefault(status, "Error");
                // nginx's own error page, which is well-formed XML with no EC2 error in it
                write(exchange, status, "text/html", "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n"
                        + "<center><h1>" + title + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
                return status + " html";
            }
            case TRUNCATED -> {
                write(exchange, status, contentType, complete.substring(0, complete.length() / 2));
                return status + " truncated";
            }
            default -> throw new IllegalArgumentException(String.valueOf(answer));
        }
    }

    private static void write(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
