package dev.tollgate.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;

/**
 * The OpenAPI 3.1 document of the reports, {@code api/openapi.json}: written by hand beside this class, its
 * {@code info.version} filled in with the project's version at build time, read once and served from memory.
 */
final class ApiDocument {

    /** Where the document is on the class path. */
    static final String RESOURCE = "dev/tollgate/web/openapi.json";

    private final Buffer document;

    private ApiDocument(Buffer document) {
        this.document = document;
    }

    /** Reads the document; blocks, so call it on a worker thread. */
    static ApiDocument load() {
        try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new DashboardException("the dashboard's API document " + RESOURCE + " is not on the class path");
            }
            return new ApiDocument(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new DashboardException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    void serve(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, Responses.JSON).end(document);
    }
}
