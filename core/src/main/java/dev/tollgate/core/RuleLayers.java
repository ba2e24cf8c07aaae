package dev.tollgate.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of the configuration and those kept from the dashboard, and how they are laid over each other: a
 * dashboard rule takes the place of the configuration's rule of its name, and the others follow the configuration's.
 *
 * @param configuration the configuration's rules, in its order
 * @param dashboard the dashboard's rules
 */
record RuleLayers(List<Rule> configuration, List<Rule> dashboard) {

    static final RuleLayers NONE = new RuleLayers(List.of(), List.of());

    /** Where a rule comes from, as {@link Tollgate#ruleSource} says it. */
    static final String CONFIGURATION = "configuration";

    static final String DASHBOARD = "dashboard";

    /**
     * The rules in force: the configuration's in its order, each replaced in its place by the dashboard's rule of its
     * name, then the dashboard's other rules. A configuration rule keeps its index, so that an error in it is named as
     * in the file.
     */
    static List<Rule> laid(List<Rule> configuration, List<Rule> dashboard) {
        Map<String, Rule> over = new LinkedHashMap<>();
        dashboard.forEach(rule -> over.put(rule.name(), rule));
        List<Rule> laid = new ArrayList<>(configuration.size() + dashboard.size());
        for (Rule rule : configuration) {
            Rule replacement = over.remove(rule.name());
            laid.add(replacement == null ? rule : replacement);
        }
        laid.addAll(over.values());
        return laid;
    }

    String source(String name) {
        return dashboard.stream().anyMatch(rule -> rule.name().equals(name)) ? DASHBOARD : CONFIGURATION;
    }
}
