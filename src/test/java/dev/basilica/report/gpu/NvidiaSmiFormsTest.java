package dev.basilica.report.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.report.gpu.GpuChecks.Expected;
import dev.basilica.report.gpu.NvidiaSmiResult.Failure;
import dev.basilica.report.gpu.NvidiaSmiResult.GpuDevice;
import dev.basilica.report.gpu.NvidiaSmiResult.Inventory;
import dev.basilica.report.gpu.NvidiaSmiResult.Kind;
import dev.basilica.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every form of nvidia-smi output in the corpus, and the same verdict from every form of one host. */
class NvidiaSmiFormsTest {

    private static final String DIR = "nvidia-smi/";

    private static NvidiaSmiResult parse(String fixture) throws Exception {
        return NvidiaSmiParser.parse(Fixtures.text(DIR + fixture), fixture);
    }

    private static Inventory inventory(String fixture) throws Exception {
        return assertInstanceOf(Inventory.class, parse(fixture));
    }

    /** check id (without the host) → status. */
    private static Map<String, Status> verdict(String fixture, List<Expected> expected) throws Exception {
        Map<String, Status> out = new TreeMap<>();
        for (Check c : GpuChecks.of("h", parse(fixture), expected)) out.put(c.id().substring("gpu.h.".length()), c.status());
        return out;
    }

    private static Check check(String fixture, List<Expected> expected, String what) throws Exception {
        return GpuChecks.of("h", parse(fixture), expected).stream().filter(c -> c.id().equals("gpu.h." + what)).findFirst().orElseThrow();
    }

    // ------------------------------------------------------------------------------------ one host, every form

    private static final List<String> H100 = List.of("nvexporter-h100-80gb-hbm3-590-q.txt", "nvexporter-h100-80gb-hbm3-590-table.txt",
            "nvexporter-h100-80gb-hbm3-590-query-gpu-all.csv");
    private static final List<String> H100_MIG = List.of("nvexporter-h100-mig-590-q.txt", "nvexporter-h100-mig-590-table.txt",
            "nvexporter-h100-mig-590-query-gpu-all.csv");

    @Test
    void anH100HostGivesTheSameVerdictFromTheQTextTheTableAndTheCsv() throws Exception {
        List<Expected> right = List.of(new Expected("H100", 1, "590"));
        Map<String, Status> pass = Map.of("nvidia-smi", Status.PASS, "model", Status.PASS, "count", Status.PASS, "driver", Status.PASS,
                "mig", Status.PASS, "ecc", Status.PASS);
        for (String f : H100) {
            assertEquals(pass, verdict(f, right), f);
            Inventory inv = inventory(f);
            assertEquals("590.48.01", inv.driverVersion(), f);
            GpuDevice g = inv.gpus().get(0);
            assertEquals(List.of(0, "NVIDIA H100 80GB HBM3", "H100", 81559L, "Disabled", "Enabled", "00000000:00:09.0"),
                    java.util.Arrays.asList(g.index(), g.productName(), g.model(), g.memoryMib(), g.migMode(), g.eccMode(), g.pciBusId()), f);
        }
        // The variant names of the model resolve too; the wrong variant, count or model fails with the right check.
        assertEquals(pass, verdict(H100.get(1), List.of(new Expected("H100-SXM", 1, "590"))));
        for (String f : H100) {
            assertEquals(Status.FAIL, verdict(f, List.of(new Expected("H100-NVL", 1, "590"))).get("model"), f);
            Map<String, Status> eight = verdict(f, List.of(new Expected("H100", 8, "590")));
            assertEquals(Status.FAIL, eight.get("count"), f);
            assertEquals(Status.PASS, eight.get("model"), f);
            assertEquals("1 of 8 H100", check(f, List.of(new Expected("H100", 8, "590")), "count").title(), f);
            Map<String, Status> h200 = verdict(f, List.of(new Expected("H200", 1, "590")));
            assertEquals(Status.FAIL, h200.get("model"), f);
            assertEquals(Status.FAIL, h200.get("count"), f);
            assertEquals(Status.FAIL, verdict(f, List.of(new Expected("H100", 1, "580"))).get("driver"), f);
        }
        assertNull(inventory(H100.get(1)).gpus().get(0).uuid(), "the table has no UUIDs");
        assertTrue(inventory(H100.get(1)).notes().contains(NvidiaSmiText.NO_SERIALS));
        assertEquals("GPU-00000000-0000-0000-0000-000000000000", inventory(H100.get(0)).gpus().get(0).uuid());
        assertEquals("13.1", inventory(H100.get(0)).cudaVersion());
        assertEquals("13.1", inventory(H100.get(1)).cudaVersion());
        // -L tells model and count, not the driver or the modes: those checks are skipped, never guessed.
        assertEquals(Map.of("nvidia-smi", Status.PASS, "model", Status.PASS, "count", Status.PASS, "driver", Status.SKIP,
                "mig", Status.SKIP, "ecc", Status.SKIP), verdict("nvexporter-h100-80gb-hbm3-590-L.txt", right));
    }

    @Test
    void anEightH100HostPastedAsATableGetsTheVerdictOfItsQText() throws Exception {
        // leptonai/gpud: the default table (driver 550.90.07) and -q (535.161.08, half a year earlier) of the
        // same eight GPUs (the same eight PCI bus ids); the driver was upgraded between the captures.
        Inventory table = inventory("gpud-8x-h100-550-table.txt");
        Inventory q = inventory("gpud-8x-h100-535-q.txt");
        assertEquals(q.gpus().stream().map(GpuDevice::pciBusId).toList(), table.gpus().stream().map(GpuDevice::pciBusId).toList());
        for (String branch : List.of("550", "535")) {
            List<Expected> model = List.of(new Expected("H100", 8, branch));
            Map<String, Status> fromTable = verdict("gpud-8x-h100-550-table.txt", model);
            Map<String, Status> fromQ = verdict("gpud-8x-h100-535-q.txt", model);
            for (String what : List.of("nvidia-smi", "model", "count", "mig", "ecc")) assertEquals(fromQ.get(what), fromTable.get(what), what);
            assertEquals(branch.equals("550") ? Status.PASS : Status.FAIL, fromTable.get("driver"));
            assertEquals(branch.equals("535") ? Status.PASS : Status.FAIL, fromQ.get("driver"));
        }
        Map<String, Status> pass = verdict("gpud-8x-h100-550-table.txt", List.of(new Expected("H100-SXM", 8, "550")));
        assertEquals(Status.PASS, pass.get("model"), "'H100 80GB HBM3' is the SXM part");
        for (String f : List.of("gpud-8x-h100-550-table.txt", "gpud-8x-h100-535-q.txt")) {
            assertEquals(Status.FAIL, verdict(f, List.of(new Expected("H100", 9, "550"))).get("count"), f);
            assertEquals(Status.FAIL, verdict(f, List.of(new Expected("H200", 8, "550"))).get("model"), f);
            assertEquals(Status.FAIL, verdict(f, List.of(new Expected("H100", 8, "550", 7))).get("mig"), f);
        }
    }

    @Test
    void anA10TableAndQTextOfOneHostGiveOneVerdict() throws Exception {
        // leptonai/gpud's e2e mock: the table and -q of one A10, sixteen seconds apart.
        List<Expected> a10 = List.of(new Expected("A10", 1, "550"));
        Map<String, Status> all = Map.of("nvidia-smi", Status.PASS, "model", Status.PASS, "count", Status.PASS, "driver", Status.PASS,
                "mig", Status.SKIP, "ecc", Status.PASS);
        assertEquals(all, verdict("gpud-a10-550-table.txt", a10));
        assertEquals(all, verdict("gpud-a10-550-q.txt", a10));
        GpuDevice t = inventory("gpud-a10-550-table.txt").gpus().get(0);
        GpuDevice q = inventory("gpud-a10-550-q.txt").gpus().get(0);
        assertEquals(java.util.Arrays.asList(q.index(), q.productName(), q.model(), q.memoryMib(), q.eccMode(), q.pciBusId()),
                java.util.Arrays.asList(t.index(), t.productName(), t.model(), t.memoryMib(), t.eccMode(), t.pciBusId()));
        assertNull(t.uuid(), "the table has no UUID");
        assertEquals("GPU-51ae0086-e1ac-4a20-f062-9caa44e4df6d", q.uuid());
    }

    @Test
    void anH100InMigModeIsComparedWithTheModelledMigDevicesInEveryForm() throws Exception {
        assertEquals(4, inventory(H100_MIG.get(0)).gpus().get(0).migDevices(), "-q: four MIG Device blocks");
        assertEquals(4, inventory(H100_MIG.get(1)).gpus().get(0).migDevices(), "table: four rows under MIG devices");
        assertNull(inventory(H100_MIG.get(2)).gpus().get(0).migDevices(), "CSV cannot list MIG devices");
        Inventory list = inventory("nvexporter-h100-mig-590-L.txt");
        assertEquals(4, list.gpus().get(0).migDevices());
        assertEquals("Enabled", list.gpus().get(0).migMode());

        // The model says what was set up: one H100 in four MIG devices. Every form agrees it is so.
        List<Expected> four = List.of(new Expected("H100", 1, "590", 4));
        Map<String, Status> pass = Map.of("nvidia-smi", Status.PASS, "model", Status.PASS, "count", Status.PASS,
                "driver", Status.PASS, "mig", Status.PASS, "ecc", Status.PASS);
        for (String f : H100_MIG) assertEquals(pass, verdict(f, four), f);
        assertEquals("MIG as modelled: GPU 0 (4 MIG devices)", check(H100_MIG.get(1), four, "mig").title());
        Check csv = check(H100_MIG.get(2), four, "mig");
        assertTrue(csv.evidence().stream().anyMatch(e -> e.contains("does not list MIG devices: only the mode is compared")),
                csv.evidence().toString());

        // A model of whole GPUs: the host offers slices instead, in every form that shows the mode.
        List<Expected> whole = List.of(new Expected("H100", 1, "590"));
        for (String f : H100_MIG) assertEquals(Status.FAIL, verdict(f, whole).get("mig"), f);
        Check sliced = check(H100_MIG.get(0), whole, "mig");
        assertEquals("MIG enabled on 1 GPU, the model offers whole GPUs", sliced.title());
        assertTrue(sliced.remediation().contains("mig_devices"), sliced.remediation());

        // Another layout than the one set up: the forms that list the devices say so; the CSV cannot tell.
        List<Expected> seven = List.of(new Expected("H100", 1, "590", 7));
        assertEquals(Status.FAIL, verdict(H100_MIG.get(0), seven).get("mig"));
        assertEquals(Status.FAIL, verdict(H100_MIG.get(1), seven).get("mig"));
        assertEquals("MIG devices per GPU [4], the model expects [7]", check(H100_MIG.get(1), seven, "mig").title());
        assertEquals(Status.PASS, verdict(H100_MIG.get(2), seven).get("mig"));

        // The same host without MIG, against a MIG model: the GPU is whole, not the modelled slices.
        for (String f : H100) assertEquals(Status.FAIL, verdict(f, four).get("mig"), f);

        // Without a model the instances are reported, not judged.
        Check noModel = check(H100_MIG.get(1), null, "mig");
        assertEquals(Status.WARN, noModel.status());
        assertTrue(noModel.evidence().contains("MIG enabled: GPU 0 (4 MIG devices)"), noModel.evidence().toString());
        assertEquals(Status.FAIL, verdict(H100_MIG.get(1), List.of(new Expected("A100", 1, "590"))).get("model"));
    }

    @Test
    void anA100XmlInMigModeAgainstTheModel() throws Exception {
        Inventory a100 = inventory("telegraf-a100-sxm4-v12.xml");
        int devices = a100.gpus().get(0).migDevices();
        assertEquals(Status.PASS, check("telegraf-a100-sxm4-v12.xml", List.of(new Expected("A100", 1, null, devices)), "mig").status());
        assertEquals(Status.FAIL, check("telegraf-a100-sxm4-v12.xml", List.of(new Expected("A100", 1, null)), "mig").status());
        assertEquals(Status.FAIL, check("telegraf-a100-sxm4-v12.xml", List.of(new Expected("A100", 1, null, devices + 1)), "mig").status());
    }

    @Test
    void anH200HostGivesTheSameVerdictFromItsXmlAndItsCsv() throws Exception {
        for (List<Expected> e : List.of(List.of(new Expected("H200", 1, "580")), List.of(new Expected("H100", 8, "580")),
                List.of(new Expected("H200", 2, "570")))) {
            assertEquals(verdict("h200-sxm-driver580-q.xml", e), verdict("h200-sxm-driver580-query-gpu.csv", e), e.toString());
        }
    }

    // ------------------------------------------------------------------------------------ tables

    @Test
    void tablesOfEveryLayout() throws Exception {
        Inventory h200 = inventory("nvexporter-h200-mig-590-table.txt");
        assertEquals("H200", h200.gpus().get(0).model());
        assertEquals("Enabled", h200.gpus().get(0).migMode());
        assertTrue(h200.gpus().get(0).migDevices() >= 2, "compute instances sharing a GPU instance count one each");

        Inventory l40s = inventory("nvexporter-l40s-595-table-processes.txt");
        assertEquals(List.of("L40S"), l40s.gpus().stream().map(GpuDevice::model).toList());
        assertEquals(46068L, l40s.gpus().get(0).memoryMib());
        assertEquals("Enabled", l40s.gpus().get(0).eccMode(), "an error count: ECC on");
        assertNull(l40s.gpus().get(0).migMode(), "MIG N/A");

        // Windows: Driver-Model instead of Persistence-M; newer drivers print KMD / CUDA UMD versions.
        Inventory win = inventory("nvexporter-windows-rtx2080super-591-table.txt");
        assertEquals("591.86", win.driverVersion());
        assertEquals("13.1", win.cudaVersion());
        Inventory kmd = inventory("nvexporter-windows-rtx2080super-610-kmd-table.txt");
        assertEquals("610.62", kmd.driverVersion());
        assertEquals("13.3", kmd.cudaVersion());
        assertEquals("610.57.04", inventory("nvexporter-rtx2080super-610-kmd-table.txt").driverVersion());
        assertEquals("595.71.05", inventory("nvexporter-rtx4080super-595-table.txt").driverVersion());

        // The old 79-column layout (before CUDA 11): no MIG column, and the name cut to the column.
        Inventory old = inventory("aws-k8s-tester-v100-sxm2-418-old-table.txt");
        assertEquals("418.87.00", old.driverVersion());
        assertEquals("10.1", old.cudaVersion());
        GpuDevice v100 = old.gpus().get(0);
        assertEquals("Tesla V100-SXM2...", v100.productName());
        assertEquals("V100", v100.model(), "both V100-SXM2 products are a V100");
        assertEquals(16130L, v100.memoryMib());
        assertEquals("Enabled", v100.eccMode());
        assertNull(v100.migMode());
        assertTrue(old.notes().contains("this table layout (drivers before CUDA 11) has no MIG column"));
        assertTrue(old.notes().stream().anyMatch(n -> n.startsWith("GPU 0's name is cut to 'Tesla V100-SXM2...' by the table: V100")),
                old.notes().toString());
        assertEquals(Status.PASS, verdict("aws-k8s-tester-v100-sxm2-418-old-table.txt", List.of(new Expected("V100", 1, "418"))).get("model"));
        assertEquals(Status.WARN, verdict("aws-k8s-tester-v100-sxm2-418-old-table.txt",
                List.of(new Expected("V100-32GB", 1, "418"))).get("model"), "the cut name cannot tell 16 from 32 GB");
        assertEquals(Status.FAIL, verdict("aws-k8s-tester-v100-sxm2-418-old-table.txt",
                List.of(new Expected("V100-PCIe", 1, "418"))).get("model"));
    }

    @Test
    void aNameTheTableCutIsReportedAsAmbiguousNotGuessed() throws Exception {
        Inventory inv = inventory("nvexporter-windows-rtx2080super-591-table.txt");
        GpuDevice g = inv.gpus().get(0);
        assertEquals("NVIDIA GeForce RTX 2080 ...", g.productName());
        assertNull(g.model());
        assertTrue(inv.notes().contains("GPU 0's name is cut to 'NVIDIA GeForce RTX 2080 ...' by the table: ambiguous between"
                + " NVIDIA GeForce RTX 2080 SUPER, NVIDIA GeForce RTX 2080 Ti"), inv.notes().toString());
        Check model = check("nvexporter-windows-rtx2080super-591-table.txt", List.of(new Expected("RTX2080SUPER", 1, null)), "model");
        assertEquals(Status.WARN, model.status());
        assertEquals(Status.FAIL, verdict("nvexporter-windows-rtx2080super-591-table.txt",
                List.of(new Expected("H100", 1, null))).get("model"));
        assertEquals(Status.WARN, verdict("nvexporter-rtx2080super-610-kmd-table.txt",
                List.of(new Expected("RTX2080SUPER", 1, null))).get("model"), "the Linux table cuts it the same way");
    }

    // ------------------------------------------------------------------------------------ -q, CSV, XML

    @Test
    void qTextOnWindowsWithKmdVersion() throws Exception {
        Inventory inv = inventory("nvexporter-windows-rtx2080super-610-q.txt");
        assertEquals("text", inv.format());
        assertEquals("610.62", inv.driverVersion(), "KMD Version, not the deprecated Driver Version text");
        assertEquals("13.3", inv.cudaVersion());
        GpuDevice g = inv.gpus().get(0);
        assertEquals("RTX2080SUPER", g.model());
        assertEquals(0, g.index(), "Minor Number N/A on Windows: the position");
        assertNull(g.migMode());
    }

    @Test
    void csvWithTwoHundredFieldsInAnyOrder() throws Exception {
        for (String f : List.of("nvexporter-h100-80gb-hbm3-590-query-gpu-all.csv", "nvexporter-l40s-595-query-gpu-all.csv")) {
            String header = Fixtures.text(DIR + f).lines().findFirst().orElseThrow();
            assertTrue(header.startsWith("timestamp, driver_version,"), header);
            assertTrue(header.split(",").length > 200, f);
            assertTrue(Fixtures.text(DIR + f).contains("[Requested functionality has been deprecated]"), f);
            Inventory inv = inventory(f);
            assertEquals("csv", inv.format());
            assertEquals(List.of(), inv.notes(), f);
        }
        GpuDevice l40s = inventory("nvexporter-l40s-595-query-gpu-all.csv").gpus().get(0);
        assertEquals(List.of("L40S", 46068L, "Enabled"), List.of(l40s.model(), l40s.memoryMib(), l40s.eccMode()));
        assertNull(l40s.migMode(), "[N/A]");
    }

    @Test
    void xmlOfEveryDtdVersionWithOrWithoutDoctypeTabsOrSpaces() throws Exception {
        record Want(String fixture, String driver, String model, Long memory, String mig, String ecc) {}
        for (Want w : List.of(
                new Want("telegraf-gtx-1070-ti.xml", null, "GTX1070", 4096L, null, null),
                new Want("telegraf-gtx-1660-ti.xml", "418.43", "GRAPHICS", 5912L, null, null),
                new Want("telegraf-tesla-t4.xml", "515.105.01", "T4", 15360L, null, "Enabled"),
                new Want("telegraf-quadro-p2000-v12.xml", "525.125.06", "P2000", 5120L, null, null),
                new Want("telegraf-a100-sxm4-v12.xml", "535.54.03", "A100", 81920L, "Enabled", "Enabled"))) {
            Inventory inv = inventory(w.fixture());
            GpuDevice g = inv.gpus().get(0);
            assertEquals(java.util.Arrays.asList(w.driver(), w.model(), w.memory(), w.mig(), w.ecc()),
                    java.util.Arrays.asList(inv.driverVersion(), g.model(), g.memoryMib(), g.migMode(), g.eccMode()), w.fixture());
        }
        Inventory a100 = inventory("telegraf-a100-sxm4-v12.xml");
        assertTrue(a100.gpus().get(0).migDevices() > 0);
        // The capture was cut to one of its four GPUs: said, not hidden.
        assertEquals(Status.WARN, verdict("telegraf-a100-sxm4-v12.xml", null).get("nvidia-smi"));
    }

    // ------------------------------------------------------------------------------------ failures

    @Test
    void errorTextsAreTheFailureTheyAre() throws Exception {
        for (String f : List.of("issue-gcp-driver-not-loaded.txt", "issue-driver-not-loaded-two-lines-typographic-quote.txt")) {
            assertEquals(Kind.DRIVER_NOT_LOADED, assertInstanceOf(Failure.class, parse(f)).kind(), f);
            assertEquals(Map.of("nvidia-smi", Status.FAIL), verdict(f, List.of(new Expected("H100", 8, "580"))), f);
        }
        assertEquals(Kind.DRIVER_LIBRARY_MISMATCH,
                ((Failure) NvidiaSmiParser.parse("Failed to initialize NVML: Driver/library version mismatch\n", "x")).kind());
    }
}
