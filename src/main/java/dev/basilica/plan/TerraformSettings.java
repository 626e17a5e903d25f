package dev.basilica.plan;

import dev.basilica.model.Environment;
import java.util.Locale;
import java.util.Map;

/**
 * What the Terraform root module is written from, besides the firewall plan: the model's {@code terraform}
 * settings, carried by the plan so that the Terraform emitters never read the model.
 *
 * @param providerVersion the provider's version constraint, or null for the tested one
 * @param aws the AWS settings, or null
 * @param gcp the GCP settings, or null
 * @param scalewayZone the Scaleway zone: the model's, else the region's first ({@code <region>-1})
 */
public record TerraformSettings(Provider provider, String region, String requiredVersion, String providerVersion, Backend backend,
                                Aws aws, Gcp gcp, String scalewayZone) {

    /** The cloud whose firewalls Terraform manages; NONE for bare metal. */
    public enum Provider {
        NONE, AWS, GCP, HETZNER, SCALEWAY, DIGITALOCEAN
    }

    /** Where Terraform keeps state. @param prefix GCS only, or null */
    public record Backend(BackendType type, String bucket, String key, String prefix, String region) {}

    public enum BackendType {
        LOCAL, S3, GCS;

        /** {@code local}, {@code s3}, {@code gcs}: the backend block's label. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Any of the ids and blocks may be null (then the module looks up or creates nothing). */
    public record Aws(String vpcId, String vpcCidr, String subnetId, String subnetCidr, String availabilityZone,
                      Map<String, String> tags) {
        public Aws {
            tags = tags == null ? Map.of() : Map.copyOf(tags);
        }
    }

    public record Gcp(String project, String network) {}

    static TerraformSettings of(Environment.Terraform t) {
        var b = t.backend();
        var a = t.aws();
        var g = t.gcp();
        String region = t.region();
        String zone = t.scaleway() != null && t.scaleway().zone() != null ? t.scaleway().zone() : region + "-1";
        return new TerraformSettings(Provider.valueOf(t.provider().name()), region, t.requiredVersion(), t.providerVersion(),
                new Backend(BackendType.valueOf(b.type().name()), b.bucket(), b.key(), b.prefix(), b.region()),
                a == null ? null : new Aws(a.vpcId(), a.vpcCidr(), a.subnetId(), a.subnetCidr(), a.availabilityZone(), a.tags()),
                g == null ? null : new Gcp(g.project(), g.network()), zone);
    }
}
