package dev.tollgate.web;

import dev.tollgate.core.Tollgate;
import dev.tollgate.events.TrafficSummary;
import gg.jte.CodeResolver;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.TemplateException;
import gg.jte.html.HtmlTemplateOutput;
import gg.jte.output.StringOutput;
import gg.jte.resolve.DirectoryCodeResolver;
import gg.jte.resolve.ResourceCodeResolver;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dashboard's JTE templates, HTML-escaping every value. By default the ones compiled into this
 * module at build time; with a template directory, each {@code .jte} file there replaces the shipped
 * one of the same name, and all are compiled at start-up (which needs a JDK, not just a JRE).
 */
final class Templates {

    /** The package the build compiles the shipped templates into. */
    static final String PACKAGE = "dev.tollgate.web.templates";
    /** The package templates of a template directory are compiled into. */
    static final String CUSTOM_PACKAGE = "dev.tollgate.web.customtemplates";
    /** Where the shipped template sources are on the class path. */
    static final String SOURCES = "dev/tollgate/web/jte";
    /** Every template shipped, the pages and what they include. */
    static final List<String> SHIPPED = List.of(
            "dashboard.jte",
            "panels.jte",
            "live.jte",
            "offender.jte",
            "login.jte",
            "message.jte",
            "events.jte",
            "eventRows.jte",
            "eventDetail.jte",
            "layout.jte",
            "style.jte",
            "cards.jte",
            "chart.jte");

    private final TemplateEngine engine;

    private Templates(TemplateEngine engine) {
        this.engine = engine;
    }

    /** The templates compiled at build time. */
    static Templates precompiled() {
        return new Templates(
                TemplateEngine.createPrecompiled(null, ContentType.Html, Templates.class.getClassLoader(), PACKAGE));
    }

    /**
     * The shipped templates with those of {@code directory} in their place, compiled now: blocks, so call it
     * on a worker thread.
     *
     * @throws DashboardException naming the template that does not compile
     */
    static Templates overriddenBy(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new DashboardException("dashboard.templates: " + directory + " is not a directory of .jte files");
        }
        Path classes;
        try {
            classes = Files.createTempDirectory("tollgate-templates");
        } catch (IOException e) {
            throw new DashboardException(
                    "cannot create a directory to compile the dashboard's templates in: " + e.getMessage(), e);
        }
        CodeResolver resolver = new Overriding(
                new DirectoryCodeResolver(directory),
                new ResourceCodeResolver(SOURCES, Templates.class.getClassLoader()));
        // one compiler run for all templates, then loaded like the shipped ones
        TemplateEngine compiler = TemplateEngine.create(
                resolver, classes, ContentType.Html, Templates.class.getClassLoader(), CUSTOM_PACKAGE);
        try {
            compiler.precompileAll(classPath());
        } catch (TemplateException e) {
            throw new DashboardException(
                    "dashboard.templates: a template of " + directory + " does not compile: " + e.getMessage(), e);
        }
        TemplateEngine engine = TemplateEngine.createPrecompiled(
                classes, ContentType.Html, Templates.class.getClassLoader(), CUSTOM_PACKAGE);
        return new Templates(engine);
    }

    /**
     * Where the classes templates use come from: the dashboard's models, the event records, JTE, Vert.x and
     * the core, wherever they were loaded from (one shaded jar, or a jar each), plus the JVM's class path.
     */
    private static List<String> classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> type : List.of(
                Templates.class, TrafficSummary.class, Tollgate.class, HtmlTemplateOutput.class, JsonObject.class)) {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                try {
                    entries.add(Path.of(source.getLocation().toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: the JVM's class path below has to do
                }
            }
        }
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator, -1)) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return List.copyOf(entries);
    }

    /** {@code template} rendered with {@code model} as its one parameter. */
    String render(String template, Object model) {
        StringOutput output = new StringOutput(8192);
        engine.render(template, model, output);
        return output.toString();
    }

    /** Templates of the first resolver that has them, else of the second. */
    private record Overriding(CodeResolver first, CodeResolver second) implements CodeResolver {

        @Override
        public String resolve(String name) {
            return first.exists(name) ? first.resolve(name) : second.resolve(name);
        }

        @Override
        public long getLastModified(String name) {
            return first.exists(name) ? first.getLastModified(name) : second.getLastModified(name);
        }

        @Override
        public List<String> resolveAllTemplateNames() {
            Set<String> names = new TreeSet<>(SHIPPED);
            names.addAll(first.resolveAllTemplateNames());
            return List.copyOf(names);
        }

        @Override
        public boolean exists(String name) {
            return first.exists(name) || second.exists(name);
        }
    }
}
