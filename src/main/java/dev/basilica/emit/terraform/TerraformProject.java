package dev.basilica.emit.terraform;

import dev.basilica.emit.GeneratedHeader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.TerraformSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of one generated Terraform root module ({@code out/<env>/terraform/}) while an emitter
 * builds them, with what every provider shares: {@code versions.tf} (pinned versions and the backend the
 * model chose) and {@code moved.tf} (from the emitter's {@link AddressMigration}s).
 */
public final class TerraformProject {

    /** A provider the module requires: its local name, registry source and the constraint tested with. */
    public record Provider(String localName, String source, String testedVersion) {}

    private final Fleet fleet;
    private final Map<String, HclFile> files = new TreeMap<>();

    public TerraformProject(Fleet fleet) {
        this.fleet = fleet;
    }

    public Fleet fleet() {
        return fleet;
    }

    /** The model's terraform settings, as the plan carries them. */
    public TerraformSettings settings() {
        return fleet.settings().terraform();
    }

    /** The named file, created with the generated header on first use. */
    public HclFile file(String name) {
        if (!name.endsWith(".tf") || name.contains("/")) throw new IllegalArgumentException("not a .tf file name: " + name);
        return files.computeIfAbsent(name, n -> new HclFile(GeneratedHeader.line(fleet, "#")));
    }

    /** {@code versions.tf}: required Terraform and provider versions, and the state backend. */
    /** The {@code firewall_ids} output: the id of each role's firewall resource of the given type. */
    public void roleFirewallIdsOutput(String resourceType) {
        Map<String, Object> ids = new java.util.LinkedHashMap<>();
        for (var role : fleet.firewall().roles()) ids.put(role.id(), Hcl.ref(resourceType, role.id(), "id"));
        HclBody o = file("outputs.tf").block("output", "firewall_ids");
        o.attr("description", "Firewall of each role.");
        o.attr("value", ids);
    }

    /** An output in outputs.tf with one value per host of the fleet, keyed by host name in the fleet's order. */
    public void hostsOutput(String name, String description, java.util.function.Function<dev.basilica.plan.Fleet.HostPlan, Object> value) {
        Map<String, Object> byHost = new java.util.LinkedHashMap<>();
        for (var h : fleet.hosts()) byHost.put(h.name(), value.apply(h));
        HclBody o = file("outputs.tf").block("output", name);
        o.attr("description", description);
        o.attr("value", byHost);
    }

    /** A string variable in variables.tf; a null default leaves the value to the provider (its environment variable). */
    public void variable(String name, String description, String defaultValue, boolean sensitive) {
        HclBody v = file("variables.tf").block("variable", name);
        v.attr("description", description);
        v.attr("type", Hcl.raw("string"));
        v.attr("default", defaultValue != null ? defaultValue : Hcl.NULL);
        if (sensitive) v.attr("sensitive", true);
    }

    /** A provider block that takes its API token from a sensitive variable (unset: the provider's own variable). */
    public void tokenProvider(String provider, String tokenVariable, String description) {
        file("providers.tf").block("provider", provider).attr("token", Hcl.raw("var." + tokenVariable));
        variable(tokenVariable, description, null, true);
    }

    public void versions(Provider provider) {
        TerraformSettings t = settings();
        HclBody terraform = file("versions.tf").block("terraform");
        terraform.attr("required_version", t.requiredVersion());
        HclBody required = terraform.block("required_providers");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("source", provider.source());
        spec.put("version", t.providerVersion() != null ? t.providerVersion() : provider.testedVersion());
        required.attr(provider.localName(), spec);
        TerraformSettings.Backend b = t.backend();
        HclBody backend = terraform.block("backend", b.type().id());
        switch (b.type()) {
            case S3 -> {
                backend.attr("bucket", b.bucket());
                backend.attr("key", b.key());
                backend.attr("region", b.region());
                backend.attr("encrypt", true);
                backend.attr("use_lockfile", true);
            }
            case GCS -> {
                backend.attr("bucket", b.bucket());
                backend.attrIfPresent("prefix", b.prefix());
            }
            // State is not generated output: it lives in state/<env>/terraform/, which no regeneration
            // touches (this path is right for terraform run by hand in out/<env>/terraform/; basilica
            // passes the same place as -backend-config).
            case LOCAL -> backend.attr("path", "../../../state/" + fleet.name() + "/terraform/terraform.tfstate");
        }
    }

    /** Every resource and data address declared so far, sorted. */
    public List<String> addresses() {
        List<String> out = new ArrayList<>();
        files.values().forEach(f -> out.addAll(f.addresses()));
        Collections.sort(out);
        return out;
    }

    /** Writes {@code moved.tf} when any migration renamed an address that exists now. */
    public void moves(List<AddressMigration> migrations) {
        List<AddressMigration.Move> moves = AddressMigration.moves(addresses(), migrations);
        if (moves.isEmpty()) return;
        HclFile moved = file("moved.tf");
        moved.comment("State moves for addresses earlier versions of basilica used; keep them until every");
        moved.comment("state has been planned and applied with this version.");
        for (AddressMigration migration : migrations) {
            List<AddressMigration.Move> mine = moves.stream().filter(m -> m.migration() == migration).toList();
            if (mine.isEmpty()) continue;
            moved.blank();
            moved.comment(migration.since() + ": " + migration.why());
            for (AddressMigration.Move m : mine) {
                HclBody block = moved.block("moved");
                block.attr("from", Hcl.raw(m.from()));
                block.attr("to", Hcl.raw(m.to()));
            }
        }
    }

    /** File name → text. */
    public Map<String, String> render() {
        Map<String, String> out = new TreeMap<>();
        files.forEach((name, f) -> out.put(name, f.render()));
        return out;
    }

    /** {@code s} cut to at most {@code max} characters, ending in "..." when cut. */
    public static String truncate(String s, int max) {
        if (s.length() <= max) return s;
        int cut = max - 3;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) cut--;
        return s.substring(0, cut) + "...";
    }
}
