package dev.basilica.emit.terraform;

import dev.basilica.emit.terraform.aws.AwsEmitter;
import dev.basilica.emit.terraform.digitalocean.DigitalOceanEmitter;
import dev.basilica.emit.terraform.gcp.GcpEmitter;
import dev.basilica.emit.terraform.hetzner.HetznerEmitter;
import dev.basilica.emit.terraform.scaleway.ScalewayEmitter;
import dev.basilica.output.OutputKind;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.Fleet;
import java.util.Map;

/**
 * Fleet → {@code terraform/*.tf} for the model's cloud ({@code terraform.provider}), from the fleet's
 * provider-neutral firewall plan. Nothing when the firewall is disabled or the provider is {@code none}
 * (bare metal: the host firewall alone applies).
 */
public final class TerraformEmitter {

    public static final OutputKind KIND = OutputKind.TERRAFORM;
    public static final String DIR = "terraform/";

    private TerraformEmitter() {}

    public static void emit(Fleet fleet, OutputTree out) {
        files(fleet).forEach((name, text) -> out.put(DIR + name, text, KIND, null));
    }

    /** File name → text of the root module; empty when no Terraform applies. */
    public static Map<String, String> files(Fleet fleet) {
        if (!fleet.firewall().enabled()) return Map.of();
        return switch (fleet.settings().terraform().provider()) {
            case AWS -> AwsEmitter.files(fleet);
            case GCP -> GcpEmitter.files(fleet);
            case HETZNER -> HetznerEmitter.files(fleet);
            case SCALEWAY -> ScalewayEmitter.files(fleet);
            case DIGITALOCEAN -> DigitalOceanEmitter.files(fleet);
            case NONE -> Map.of();
        };
    }
}
