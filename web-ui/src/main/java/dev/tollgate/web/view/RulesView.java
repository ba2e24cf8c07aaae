package dev.tollgate.web.view;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Rules page: every rule in force with its counts, the form that creates or edits a dashboard rule, and the
 * audit of the dashboard's rules.
 *
 * @param page     what every page shares
 * @param range    the window of the counts: a named range ({@code 15m}) or days ({@code 7d})
 * @param rows     the rules in force, highest priority first
 * @param editable whether staff may change rules here ({@code dashboard.rulesEditable})
 * @param form     the form, empty when the page is read-only
 * @param notice   what the last change did, such as {@code Saved 'api' (version 2).}
 * @param problems stored rules this node could not put in force, by name, with why
 * @param audit    the latest changes, newest first
 * @param action   where the page's forms post, with a trailing slash
 */
public record RulesView(
        Page page,
        String range,
        List<Row> rows,
        boolean editable,
        Optional<Form> form,
        Optional<String> notice,
        Map<String, String> problems,
        List<Change> audit,
        String action) {

    /** The form's text fields but an adaptive rule's own, in the configuration's names. */
    private static final List<String> COMMON_FIELDS = List.of(
            "name",
            "kind",
            "path",
            "methods",
            "key",
            "algorithm",
            "limit",
            "window",
            "burst",
            "cost",
            "slotTimeout",
            "status",
            "onExceed",
            "maxDelay",
            "maxQueued",
            "period",
            "zone",
            "costHeader",
            "priority");
    /** The form's text fields, in the configuration's names: an adaptive rule's own last. */
    public static final List<String> TEXT_FIELDS = java.util.stream.Stream.concat(
                    COMMON_FIELDS.stream(), dev.tollgate.core.AdaptiveOptions.FIELDS.stream())
            .toList();
    /** The kinds of rule the form's {@code kind} offers. */
    public static final List<String> KINDS = List.of("rate", "concurrency", "adaptive", "quota");
    /** The form's checkboxes. */
    public static final List<String> FLAGS = List.of("shadow", "enabled", "ignoreCase");

    /** The query that keeps this page's window in a link: {@code range=15m}, or {@code days=N}. */
    public String rangeQuery() {
        return RANGES.contains(range) ? "range=" + range : "days=" + range.substring(0, range.length() - 1);
    }

    /** The windows the counts can be shown over. */
    public static final List<String> RANGES = List.of("15m", "1h", "6h", "24h", "7d", "30d");

    public RulesView {
        rows = List.copyOf(rows);
        problems = Map.copyOf(problems);
        audit = List.copyOf(audit);
    }

    /**
     * One rule in force.
     *
     * @param index         its position, from 0, for element ids
     * @param name          its name
     * @param match         path and methods, as in {@code GET, POST /api/*}
     * @param key           the key kind
     * @param algorithm     the algorithm
     * @param limit         limit per window, as in {@code 10 / 1m}
     * @param burst         the burst (capacity)
     * @param cost          permits per request
     * @param priority      its priority
     * @param shadow        whether it is a shadow rule
     * @param enabled       whether it is enabled
     * @param source        {@code configuration} or {@code dashboard}
     * @param overridesFile a dashboard rule that takes the place of the configuration's rule of its name
     * @param version       a dashboard rule's version, 0 for the configuration's
     * @param hits          events naming it over the window
     * @param blocked       its enforced blocks
     * @param shadowBlocked its would-be blocks
     * @param rulePath      the part of the form actions after {@link RulesView#action()}: the name, encoded
     */
    public record Row(
            int index,
            String name,
            String match,
            String key,
            String algorithm,
            String limit,
            long burst,
            long cost,
            int priority,
            boolean shadow,
            boolean enabled,
            String source,
            boolean overridesFile,
            long version,
            long hits,
            long blocked,
            long shadowBlocked,
            String rulePath) {

        public boolean fromDashboard() {
            return "dashboard".equals(source);
        }
    }

    /**
     * The rule form, as typed, with the problems found beside their fields.
     *
     * @param editing  the name of the dashboard rule being edited; empty when creating
     * @param version  the version the editor read: 0 to create
     * @param values   the fields' values as typed, by field name
     * @param errors   the problem of each field at fault, by field name, in the loader's words
     * @param message  a problem of the whole form, such as someone else's change since
     * @param action   where the form posts
     */
    public record Form(
            Optional<String> editing,
            long version,
            Map<String, String> values,
            Map<String, String> errors,
            Optional<String> message,
            String action) {

        public Form {
            values = Map.copyOf(values);
            errors = Map.copyOf(errors);
        }

        /** The value typed in {@code field}, or {@code ""}. */
        public String value(String field) {
            return values.getOrDefault(field, "");
        }

        /** Whether the checkbox {@code field} is ticked. */
        public boolean checked(String field) {
            return "true".equals(values.get(field));
        }

        /** The problem of {@code field}, or {@code ""}. */
        public String error(String field) {
            return errors.getOrDefault(field, "");
        }
    }

    /**
     * One audited change.
     *
     * @param at      when, {@code 2026-01-02 03:04:05} UTC
     * @param who     who made it
     * @param action  create, update, enable, disable or delete
     * @param rule    the rule's name
     * @param summary what changed, as in {@code limit 2 → 5}
     * @param before  the configuration before, JSON, {@code ""} for a creation
     * @param after   the configuration after, JSON, {@code ""} for a deletion
     */
    public record Change(
            String at, String who, String action, String rule, String summary, String before, String after) {}
}
