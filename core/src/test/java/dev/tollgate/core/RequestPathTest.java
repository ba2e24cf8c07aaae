package dev.tollgate.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestPathTest {

    private static String normal(String raw) {
        return RequestPath.normalize(raw, false).orElse("<refused>");
    }

    @Test
    void everySpellingOfAPathIsOnePath() {
        assertThat(normal("/api/x")).isEqualTo("/api/x");
        assertThat(normal("//api/x")).isEqualTo("/api/x");
        assertThat(normal("/api//x")).isEqualTo("/api/x");
        assertThat(normal("/./api/x")).isEqualTo("/api/x");
        assertThat(normal("/foo/../api/x")).isEqualTo("/api/x");
        assertThat(normal("/%61pi/x")).isEqualTo("/api/x");
        assertThat(normal("/api;p/x")).isEqualTo("/api/x");
        assertThat(normal("/api;jsessionid=1;x=2/x")).isEqualTo("/api/x");
        assertThat(normal("/%2e%2e/api/x")).isEqualTo("/api/x");
        assertThat(normal("/public/..;/api/x")).isEqualTo("/api/x");
        assertThat(normal("/../../api/x")).isEqualTo("/api/x");
    }

    @Test
    void dotSegmentsFollowRfc3986() {
        assertThat(normal("/a/b/c/./../../g")).isEqualTo("/a/g");
        assertThat(normal("/mid/content=5/../6")).isEqualTo("/mid/6");
        assertThat(normal("/a/b/..")).isEqualTo("/a/");
        assertThat(normal("/a/b/.")).isEqualTo("/a/b/");
        assertThat(normal("/a/.hidden")).isEqualTo("/a/.hidden");
        assertThat(normal("/a/...")).isEqualTo("/a/...");
    }

    @Test
    void otherEscapesStayWithUpperCaseHexAndCaseIsKept() {
        assertThat(normal("/API/%7euser/%c3%a9")).isEqualTo("/API/~user/%C3%A9");
        assertThat(normal("/a%20b")).isEqualTo("/a%20b");
        assertThat(normal("/a%25b")).isEqualTo("/a%25b");
    }

    @Test
    void trailingSlashesAndTheRootStay() {
        assertThat(normal("/")).isEqualTo("/");
        assertThat(normal("")).isEqualTo("/");
        assertThat(normal("/api/")).isEqualTo("/api/");
        assertThat(normal("//")).isEqualTo("/");
    }

    @Test
    void whatTheUpstreamCouldReadAnotherWayIsRefused() {
        assertThat(normal("/api%2Fx")).isEqualTo("<refused>");
        assertThat(normal("/api%2fx")).isEqualTo("<refused>");
        assertThat(normal("/api%5Cx")).isEqualTo("<refused>");
        assertThat(normal("/api\\x")).isEqualTo("<refused>");
        assertThat(normal("/api%00x")).isEqualTo("<refused>");
        assertThat(normal("/api%0ax")).isEqualTo("<refused>");
        assertThat(normal("/api%zz")).isEqualTo("<refused>");
        assertThat(normal("/api%2")).isEqualTo("<refused>");
        assertThat(normal("/api%")).isEqualTo("<refused>");
        assertThat(normal("/api%٣٣")).isEqualTo("<refused>");
    }

    @Test
    void encodedSlashesCanBeKeptEncodedInsideTheirSegment() {
        assertThat(RequestPath.normalize("/files/a%2fb/../c", true)).contains("/files/c");
        assertThat(RequestPath.normalize("/files/a%2fb", true)).contains("/files/a%2Fb");
        assertThat(RequestPath.normalize("/files/a%5cb", true)).contains("/files/a%5Cb");
    }
}
