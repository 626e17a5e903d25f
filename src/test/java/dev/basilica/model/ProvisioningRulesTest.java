package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cross-field rules of the provisioning fields: packages, artifacts, TLS. */
class ProvisioningRulesTest {

    private static final String BASE = String.join("\n",
            "apiVersion: basilica.dev/v1alpha1",
            "kind: Environment",
            "name: rules",
            "tier: development",
            "chain: { network: test, netuid: 387 }",
            "hosts:",
            "  - { name: all-in-one, address: 10.0.0.2, roles: [validator, miner, executor], ssh: { user: root } }",
            "wallets:",
            "  validator: { name: v }",
            "  miner: { name: m, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
            "");

    private static final String SERVICES = "services:\n  miner: { jwt_secret: { env: JWT } }\n";

    private static String errors(String extra) {
        String model = BASE + (extra.contains("services:") ? "" : SERVICES) + extra;
        ModelException e = assertThrows(ModelException.class, () -> ModelLoader.parse(model, "rules.yaml"));
        return e.diagnostics().stream().map(Object::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void theBaseModelIsValid() throws Exception {
        ModelLoader.parse(BASE + SERVICES + "tls: { enabled: true }\n", "rules.yaml");
    }

    @Test
    void sourceBuildsAreRefusedOnAnAirGappedFleet() {
        String e = errors("artifacts:\n  miner: { build: { git: \"https://example.org/b.git\", ref: v1 } }\n"
                + "packages:\n  apt_mirror: { url: \"http://10.0.0.1/debian\" }\n");
        assertTrue(e.contains("artifacts.miner.build") && e.contains("air-gapped"), e);
    }

    @Test
    void urlArtifactsNeedADigest() {
        String e = errors("artifacts:\n  miner: { url: \"https://example.org/miner\" }\n");
        assertTrue(e.contains("artifacts.miner") && e.contains("sha256"), e);
    }

    @Test
    void theBuildHostMustBeAHost() {
        String e = errors("artifacts:\n  build_host: builder\n");
        assertTrue(e.contains("artifacts.build_host") && e.contains("'builder' is not a host"), e);
    }

    @Test
    void aSuppliedCaNeedsItsKey() {
        String e = errors("tls: { enabled: true, ca_cert: ./ca.crt }\n");
        assertTrue(e.contains("ca_cert and ca_key go together"), e);
    }

    @Test
    void mutualTlsAuthNeedsMutualTls() {
        String e = errors("services:\n  miner: { jwt_secret: { env: JWT }, auth_method: mutual_tls }\n");
        assertTrue(e.contains("services.miner.auth_method") && e.contains("mutual: true"), e);
    }
}
