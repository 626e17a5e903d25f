package dev.basilica.report.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.report.gpu.GpuChecks.Expected;
import dev.basilica.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GpuChecksTest {

    private static Map<String, Check> checks(String fixture, List<Expected> expected) throws Exception {
        NvidiaSmiResult r = NvidiaSmiParser.parse(Fixtures.text(fixture), fixture);
        return GpuChecks.of("gpu-1", r, expected).stream().collect(Collectors.toMap(Check::id, Function.identity()));
    }

    private static Map<String, Status> statuses(Map<String, Check> checks) {
        return checks.values().stream().collect(Collectors.toMap(c -> c.id().substring("gpu.gpu-1.".length()), Check::status));
    }

    @Test
    void anH200HostAsTheModelExpectsIt() throws Exception {
        Map<String, Check> c = checks("nvidia-smi/h200-sxm-driver580-q.xml", List.of(new Expected("H200", 1, "580")));
        assertEquals(Map.of("nvidia-smi", Status.PASS, "model", Status.PASS, "count", Status.PASS, "driver", Status.PASS,
                "mig", Status.PASS, "ecc", Status.PASS), statuses(c));
        assertEquals("nvidia-smi lists 1 GPU: 1x H200", c.get("gpu.gpu-1.nvidia-smi").title());
        assertTrue(c.get("gpu.gpu-1.nvidia-smi").evidence().contains(
                "GPU 0: NVIDIA H200 (H200), 143771 MiB, MIG Disabled, ECC Enabled, 00000000:00:06.0"));
        // A full driver version pins exactly; the branch matches any release of it.
        assertEquals(Status.PASS, checks("nvidia-smi/h200-sxm-driver580-q.xml",
                List.of(new Expected("h200", 1, "580.159.04"))).get("gpu.gpu-1.driver").status());
    }

    @Test
    void wrongModelMissingGpusAndAnotherDriverBranchFail() throws Exception {
        Map<String, Check> c = checks("nvidia-smi/h200-sxm-driver580-query-gpu.csv", List.of(new Expected("H100", 8, "570")));
        assertEquals(Status.FAIL, c.get("gpu.gpu-1.model").status());
        assertEquals("Expected H100, found H200", c.get("gpu.gpu-1.model").title());
        assertEquals(Status.FAIL, c.get("gpu.gpu-1.count").status());
        assertEquals("0 of 8 H100", c.get("gpu.gpu-1.count").title());
        assertEquals(Status.FAIL, c.get("gpu.gpu-1.driver").status());
        assertEquals("Driver 580.159.04 is not the pinned 570", c.get("gpu.gpu-1.driver").title());
        Map<String, Check> fewer = checks("nvidia-smi/h200-sxm-driver580-query-gpu.csv", List.of(new Expected("H200", 8, "580")));
        assertEquals("1 of 8 H200", fewer.get("gpu.gpu-1.count").title());
        assertEquals(Status.PASS, fewer.get("gpu.gpu-1.model").status());
    }

    @Test
    void moreGpusThanTheModelSaysIsAWarningAndDisabledEccToo() throws Exception {
        Map<String, Check> c = checks("nvidia-smi/telegraf-dual-rtx-a5000-driver590-v13.xml",
                List.of(new Expected("RTXA5000", 1, "590")));
        assertEquals(Status.WARN, c.get("gpu.gpu-1.count").status());
        assertEquals(Status.WARN, c.get("gpu.gpu-1.ecc").status());
        assertEquals(List.of("ECC disabled: GPU 0, GPU 1"), c.get("gpu.gpu-1.ecc").evidence());
        assertEquals(Status.SKIP, c.get("gpu.gpu-1.mig").status(), "MIG N/A on this GPU");
    }

    @Test
    void withoutAModelNothingIsCompared() throws Exception {
        Map<String, Check> c = checks("nvidia-smi/netdata-tesla-p100-query-gpu-nounits.csv", null);
        assertEquals(Status.PASS, c.get("gpu.gpu-1.nvidia-smi").status());
        for (String s : List.of("model", "count", "driver")) {
            assertEquals(Status.SKIP, c.get("gpu.gpu-1." + s).status(), s);
        }
    }

    @Test
    void nvmlMismatchIsOneFailingCheckWithAHint() throws Exception {
        Map<String, Check> c = checks("nvidia-smi/issue-nvml-mismatch-with-library-version-550.txt",
                List.of(new Expected("H100", 8, "580")));
        assertEquals(List.of("gpu.gpu-1.nvidia-smi"), List.copyOf(c.keySet()));
        Check check = c.get("gpu.gpu-1.nvidia-smi");
        assertEquals(Status.FAIL, check.status());
        assertEquals("NVIDIA driver/library version mismatch", check.title());
        assertEquals(List.of("nvidia-smi: Failed to initialize NVML: Driver/library version mismatch", "NVML library version 550.144"),
                check.evidence());
        assertTrue(check.remediation().contains("Reboot"), check.remediation());
        Check none = GpuChecks.of("gpu-1", NvidiaSmiParser.parse("No devices were found", "x"), null).get(0);
        assertEquals("The NVIDIA driver sees no GPU", none.title());
        assertTrue(none.remediation().contains("lspci"));
    }
}
