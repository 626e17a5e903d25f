package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Where a bound value came from: the binder records only the paths it defaulted and finds a given value's node by
 * taking its steps through the composed tree again, so the steps that are easy to get wrong are pinned here: map
 * keys with dots in them, keys that are not text, duplicate keys (the first counts), keys with nothing after them
 * (not given), list items past the end, and paths below a value that has none.
 */
class ModelBinderOriginTest {

    private static final String MODEL = String.join("\n",
            "name: dev",
            "tier: staging",
            "terraform:",
            "  aws:",
            "    tags: {a.b: x, a: y, \"a.b\": z, 7: n}",
            "monitoring:",
            "  grafana_admin_password:",
            "  enabled: true",
            "  enabled: false",
            "hosts:",
            "  - name: one",
            "");

    private static ModelBinder.Result bound() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        return ModelBinder.bind("m.yaml", YamlTree.composeAll(MODEL, options).get(0), EnvironmentSchema.root());
    }

    @Test
    void aGivenValueIsWhereItsNodeStarts() {
        ModelBinder.Result r = bound();
        assertEquals("m.yaml:5:17", r.origin("terraform.aws.tags.a.b").toString(), "a key with a dot: the first 'a.b'");
        assertEquals("m.yaml:5:23", r.origin("terraform.aws.tags.a").toString());
        assertEquals("m.yaml:5:39", r.origin("terraform.aws.tags.7").toString(), "a number as a map key");
        assertEquals("m.yaml:8:12", r.origin("monitoring.enabled").toString(), "the first of two 'enabled'");
        assertEquals("m.yaml:11:11", r.origin("hosts[0].name").toString());
        assertEquals("m.yaml:1:1", r.origin("").toString());
    }

    @Test
    void aDefaultIsTheTiersAndAKeyWithNothingIsNotGiven() {
        ModelBinder.Result r = bound();
        assertEquals("default (staging)", r.origin("services.validator.verification.interval_secs").toString());
        assertNull(r.origin("monitoring.grafana_admin_password"));
        assertNull(r.origin("hosts[1]"));
        assertNull(r.origin("terraform.aws.tags.b"));
        assertNull(r.origin("no_such_field"));
    }

    @Test
    void aPathWithoutAPositionTakesItsNearestGivenAncestors() {
        ModelBinder.Result r = bound();
        assertEquals("m.yaml:11:11", r.positionOf("hosts[0].name.deeper", "m.yaml").toString());
        assertEquals("m.yaml:11:3", r.positionOf("hosts[7].name", "m.yaml").toString(), "past the end: the list");
        assertEquals("m.yaml:7:3", r.positionOf("monitoring.grafana_admin_password", "m.yaml").toString(),
                "a key with nothing after it: the mapping that holds it, where its first key starts");
        assertEquals("m.yaml:1:1", r.positionOf("services.validator", "m.yaml").toString(), "all defaults: the file");
    }
}
