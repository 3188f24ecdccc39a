package io.egressgateway.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** What a broken, hostile or slow client gets: 413, a denying review, a closed connection; never a hang. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessHttpsTest {
    private TestServer server;

    @BeforeAll
    void start() throws Exception {
        server = new TestServer(TestServer.TEST_LIMITS);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private SSLSocket connect() throws Exception {
        SSLSocket s = (SSLSocket) TestServer.trusting(server.server.caBundlePem()).getSocketFactory()
                .createSocket("127.0.0.1", server.server.admissionPort());
        s.setSoTimeout(20_000); // a server that never answers fails the test instead of hanging it
        s.startHandshake();
        return s;
    }

    /** Reads until the server closes; a reset counts as closed. */
    private static String readAll(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed within the socket timeout", e);
        } catch (IOException e) {
            // closed by the server (reset or TLS close without close_notify)
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void a_body_over_the_limit_is_refused_with_413_before_it_is_sent() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /validate-egressgateway HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000000\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
        assertThat(server.server.webhookMetrics().count(WebhookMetrics.TOO_LARGE)).isPositive();
    }

    @Test
    void a_chunked_body_growing_over_the_limit_is_refused_with_413() throws Exception {
        try (SSLSocket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /validate-egressgateway HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("8000\r\n" + "x".repeat(0x8000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 4; i++) { // 128 KiB against a 64 KiB limit
                    out.write(chunk);
                }
                out.flush();
            } catch (IOException closedEarly) {
                // the server may close before we finish writing; the answer is already on its way
            }

            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
    }

    static Stream<Arguments> malformed() {
        String valid = Reviews.request("EgressGateway", "CREATE", ClusterFixture.gateway("g", ""), null, "alice");
        String uid = Reviews.uid(valid);
        return Stream.of(
                Arguments.of("empty body", "", "", "the body is empty"),
                Arguments.of("not JSON", "hello", "", "not valid JSON"),
                Arguments.of("unterminated object", "{", "", "not valid JSON"),
                Arguments.of("JSON null", "null", "", "not a JSON object"),
                Arguments.of("JSON array", "[1,2]", "", "not a JSON object"),
                Arguments.of("no request", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "",
                        "has no request"),
                Arguments.of("v1beta1", valid.replace("admission.k8s.io/v1", "admission.k8s.io/v1beta1"), uid,
                        "expected apiVersion admission.k8s.io/v1"),
                Arguments.of("unknown operation", valid.replace("\"CREATE\"", "\"PATCH\""), uid, "operation \"PATCH\""),
                Arguments.of("truncated review keeps its uid", valid.substring(0, valid.length() - 20), uid,
                        "not valid JSON"),
                Arguments.of("nesting 30000 deep", "[".repeat(30_000), "", "not valid JSON"),
                Arguments.of("not an AdmissionReview", "{\"a\":1}", "", "expected apiVersion admission.k8s.io/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_reviews_are_denied_with_a_reason(String name, String body, String uid, String reason)
            throws Exception {
        HttpResponse<String> http = server.post("/validate-egressgateway", body);

        assertThat(http.statusCode()).isEqualTo(200);
        JsonNode resp = Reviews.response(http.body());
        assertThat(resp.path("uid").stringValue()).isEqualTo(uid);
        assertThat(resp.path("allowed").booleanValue()).isFalse();
        assertThat(resp.path("status").path("message").stringValue()).startsWith("malformed AdmissionReview: ")
                .contains(reason);
    }

    @Test
    void invalid_utf8_is_denied_with_a_reason() throws Exception {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        HttpResponse<String> http = server.client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("https://localhost:" + server.server.admissionPort() + "/mutate-egressgateway"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode resp = Reviews.response(http.body());
        assertThat(resp.path("allowed").booleanValue()).isFalse();
        assertThat(resp.path("status").path("message").stringValue()).contains("not valid JSON");
    }

    @Test
    void a_client_that_stops_mid_request_is_disconnected() throws Exception {
        try (SSLSocket s = connect()) {
            s.getOutputStream().write("POST /validate-egressgateway HTTP/1.1\r\nHost: loc"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();

            assertThat(readAll(s.getInputStream())).isEmpty();
        }
    }

    @Test
    void a_client_that_trickles_its_headers_is_disconnected() throws Exception {
        AtomicBoolean trickledToTheEnd = new AtomicBoolean();
        try (SSLSocket s = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write("POST /validate-egressgateway HTTP/1.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) { // 20 s of one byte every 200 ms, far past the 2 s deadline
                        out.write('a');
                        out.flush();
                        Thread.sleep(200);
                    }
                    trickledToTheEnd.set(true);
                } catch (IOException | InterruptedException e) {
                    // disconnected, as it should be
                }
            });
            writer.start();

            assertThat(readAll(s.getInputStream())).isEmpty();
            writer.interrupt();
            writer.join();
        }
        assertThat(trickledToTheEnd).isFalse();
    }

    @Test
    void unknown_paths_and_methods_get_plain_http_errors() throws Exception {
        assertThat(server.post("/nope", "{}").statusCode()).isEqualTo(404);
        try (SSLSocket s = connect()) {
            s.getOutputStream().write("GET /validate-egressgateway HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 405");
        }
        // the admission listener serves admission only
        assertThat(server.post("/metrics", "").statusCode()).isEqualTo(404);
    }

    @Test
    void keep_alive_serves_several_reviews_on_one_connection() throws Exception {
        for (int i = 0; i < 3; i++) {
            String req = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "n" + i), null, "bob");
            JsonNode resp = Reviews.response(server.post("/validate-controller-owned", req).body());
            assertThat(resp.path("uid").stringValue()).isEqualTo(Reviews.uid(req));
        }
    }

    @Test
    void pipelined_requests_are_answered_in_order() throws Exception {
        StringBuilder both = new StringBuilder();
        String slow = Reviews.request("EgressGateway", "CREATE", ClusterFixture.gateway("first", ""), null, "alice");
        String fast = Reviews.request("EgressNode", "CREATE", ClusterFixture.named("EgressNode", "second"), null, "alice");
        for (String body : new String[] {slow, fast}) {
            both.append("POST /validate-egressgateway HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
                    .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                    .append(body);
        }
        try (SSLSocket s = connect()) {
            s.getOutputStream().write(both.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            String answers = readUntil(s.getInputStream(), Reviews.uid(fast));

            assertThat(answers.indexOf(Reviews.uid(slow))).isNotNegative().isLessThan(answers.indexOf(Reviews.uid(fast)));
        }
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!out.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_closed_server_refuses_connections_and_close_is_idempotent() throws Exception {
        TestServer other = new TestServer();
        int admission = other.server.admissionPort();
        int metrics = other.server.metricsPort();
        assertThat(other.get(metrics, "/metrics").statusCode()).isEqualTo(200);

        other.close();
        other.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", admission).close()).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new Socket("127.0.0.1", metrics).close()).isInstanceOf(ConnectException.class);
    }
}
