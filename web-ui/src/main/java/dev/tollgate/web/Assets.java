package dev.tollgate.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;

/**
 * htmx and its server-sent events extension, read once from their webjars on the class path and served
 * from memory: the dashboard loads nothing from a CDN.
 */
final class Assets {

    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";

    private final Map<String, Buffer> files;

    private Assets(Map<String, Buffer> files) {
        this.files = files;
    }

    /** Reads the scripts; blocks, so call it on a worker thread. */
    static Assets load() {
        return new Assets(Map.of(
                "htmx.min.js", webjar("htmx.org", "dist/htmx.min.js"),
                "htmx-ext-sse.js", webjar("htmx-ext-sse", "sse.js")));
    }

    /** Serves {@code static/NAME}; 404 for a name it does not know. */
    void serve(RoutingContext ctx) {
        Buffer file = files.get(ctx.pathParam("name"));
        if (file == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, JAVASCRIPT)
                .putHeader(HttpHeaders.CACHE_CONTROL, "private, max-age=3600")
                .end(file);
    }

    private static Buffer webjar(String artifact, String file) {
        ClassLoader loader = Assets.class.getClassLoader();
        String version;
        try (InputStream in =
                loader.getResourceAsStream("META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties")) {
            if (in == null) {
                throw new DashboardException("the " + artifact + " webjar is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            version = properties.getProperty("version");
        } catch (IOException e) {
            throw new DashboardException("cannot read the " + artifact + " webjar: " + e.getMessage(), e);
        }
        String path = "META-INF/resources/webjars/" + artifact + "/" + version + "/" + file;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new DashboardException("the " + artifact + " webjar has no " + path);
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new DashboardException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
