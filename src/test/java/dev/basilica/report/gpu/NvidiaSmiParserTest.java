package dev.basilica.report.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.ReportInputException;
import dev.basilica.report.gpu.NvidiaSmiResult.Failure;
import dev.basilica.report.gpu.NvidiaSmiResult.GpuDevice;
import dev.basilica.report.gpu.NvidiaSmiResult.Inventory;
import dev.basilica.report.gpu.NvidiaSmiResult.Kind;
import dev.basilica.support.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiParserTest {

    private static final String H200_XML = "nvidia-smi/h200-sxm-driver580-q.xml";
    private static final String H200_CSV = "nvidia-smi/h200-sxm-driver580-query-gpu.csv";
    private static final String A5000_XML = "nvidia-smi/telegraf-dual-rtx-a5000-driver590-v13.xml";
    private static final String P100_CSV = "nvidia-smi/netdata-tesla-p100-query-gpu-nounits.csv";
    private static final String MISMATCH = "nvidia-smi/issue-nvml-mismatch-with-library-version-550.txt";

    private static NvidiaSmiResult parse(String fixture) throws ReportInputException {
        return NvidiaSmiParser.parse(Fixtures.text(fixture), fixture);
    }

    @Test
    void h200XmlAndCsvGiveTheSameGpu() throws Exception {
        Inventory xml = assertInstanceOf(Inventory.class, parse(H200_XML));
        assertEquals("580.159.04", xml.driverVersion());
        assertEquals("13.0", xml.cudaVersion());
        assertEquals(1, xml.attachedGpus());
        GpuDevice expected = new GpuDevice(0, "NVIDIA H200", "H200", "GPU-00000000-1111-2222-3333-444444444444", 143771L,
                "Disabled", "Enabled", "00000000:00:06.0", 0);
        assertEquals(List.of(expected), xml.gpus());

        Inventory csv = assertInstanceOf(Inventory.class, parse(H200_CSV));
        assertEquals("csv", csv.format());
        assertEquals("580.159.04", csv.driverVersion());
        assertNull(csv.cudaVersion(), "--query-gpu cannot ask for the CUDA version");
        assertEquals(List.of(new GpuDevice(0, "NVIDIA H200", "H200", "GPU-00000000-1111-2222-3333-444444444444", 143771L,
                "Disabled", "Enabled", "00000000:00:06.0", null)), csv.gpus(), "CSV cannot list MIG devices");
        assertEquals(List.of(), csv.notes());
    }

    @Test
    void dualA5000Xml() throws Exception {
        Inventory inv = assertInstanceOf(Inventory.class, parse(A5000_XML));
        assertEquals("590.44.01", inv.driverVersion());
        assertEquals("13.1", inv.cudaVersion());
        assertEquals(List.of("RTXA5000", "RTXA5000"), inv.gpus().stream().map(GpuDevice::model).toList());
        assertEquals(List.of(0, 1), inv.gpus().stream().map(GpuDevice::index).toList());
        assertNull(inv.gpus().get(0).migMode(), "MIG N/A");
        assertEquals("Disabled", inv.gpus().get(0).eccMode());
        assertEquals(24564L, inv.gpus().get(0).memoryMib());
    }

    @Test
    void nounitsCsvWithoutMemoryTotal() throws Exception {
        Inventory inv = assertInstanceOf(Inventory.class, parse(P100_CSV));
        GpuDevice g = inv.gpus().get(0);
        assertEquals("Tesla P100-PCIE-16GB", g.productName());
        assertEquals("P100", g.model());
        assertEquals(16383L, g.memoryMib(), "reserved 103 + used 0 + free 16280");
        assertEquals(List.of("memory.total not queried: taken as reserved + used + free"), inv.notes());
        assertNull(inv.driverVersion());
    }

    @Test
    void csvWithoutHeaderAsTheOldValidateScriptQueriesIt() throws Exception {
        // nvidia-smi --query-gpu=name,memory.total --format=csv,noheader on an 8-GPU host.
        String text = "NVIDIA H100 80GB HBM3, 81559 MiB\n".repeat(8);
        Inventory inv = assertInstanceOf(Inventory.class, NvidiaSmiParser.parse(text, "q.csv"));
        assertEquals(8, inv.gpus().size());
        assertEquals("H100", inv.gpus().get(7).model());
        assertEquals(81559L, inv.gpus().get(7).memoryMib());
        assertEquals(7, inv.gpus().get(7).index());
        assertEquals(List.of("no header: columns recognised from their values (memory.total, name)"), inv.notes());
        // The data row of the H200 CSV, without its header.
        String row = Fixtures.text(H200_CSV).lines().skip(1).findFirst().orElseThrow();
        Inventory one = assertInstanceOf(Inventory.class, NvidiaSmiParser.parse(row + "\n", "q.csv"));
        GpuDevice g = one.gpus().get(0);
        assertEquals("H200", g.model());
        assertEquals("GPU-00000000-1111-2222-3333-444444444444", g.uuid());
        assertEquals("00000000:00:06.0", g.pciBusId());
        assertEquals("580.159.04", one.driverVersion());
        assertEquals(143771L, g.memoryMib(), "the first MiB column");
    }

    @Test
    void errorTextsAreDistinctStatuses() throws Exception {
        Failure mismatch = assertInstanceOf(Failure.class, parse(MISMATCH));
        assertEquals(Kind.DRIVER_LIBRARY_MISMATCH, mismatch.kind());
        assertEquals("550.144", mismatch.detail());
        assertEquals(Kind.NO_DEVICES, ((Failure) NvidiaSmiParser.parse("No devices were found\n", "x")).kind());
        assertEquals(Kind.DRIVER_NOT_LOADED, ((Failure) NvidiaSmiParser.parse("NVIDIA-SMI has failed because it couldn't communicate"
                + " with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n", "x")).kind());
        Failure unknown = (Failure) NvidiaSmiParser.parse("Failed to initialize NVML: Unknown Error\n", "x");
        assertEquals(Kind.NVML_INIT_FAILED, unknown.kind());
        assertEquals("Unknown Error", unknown.detail());
        assertEquals(Kind.NOT_INSTALLED, ((Failure) NvidiaSmiParser.parse("bash: line 1: nvidia-smi: command not found\n", "x")).kind());
    }

    @Test
    void truncatedAndMalformedInputNameTheirPosition() {
        String xml = Fixtures.text(H200_XML);
        String cut = xml.substring(0, xml.indexOf("<fb_memory_usage>") + 30);
        ReportInputException e = assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse(cut, "gpu.xml"));
        assertTrue(e.getMessage().matches("gpu\\.xml:\\d+:\\d+: the XML ends early \\(truncated\\?\\); expected .*"), e.getMessage());

        ReportInputException bad = assertThrows(ReportInputException.class,
                () -> NvidiaSmiParser.parse("<nvidia_smi_log><gpu></nvidia_smi_log>", "gpu.xml"));
        assertTrue(bad.getMessage().startsWith("gpu.xml:1:"), bad.getMessage());
        assertTrue(bad.getMessage().contains("malformed XML"), bad.getMessage());

        assertEquals("gpu.xml: the XML's root is <html>; expected <nvidia_smi_log>, the output of 'nvidia-smi -q -x'",
                assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse("<html></html>", "gpu.xml")).getMessage());

        String csv = Fixtures.text(H200_CSV);
        String cutCsv = csv.substring(0, csv.indexOf("96.00.A5"));
        assertEquals("q.csv:2:1: 7 fields where the header has 17 (truncated?)",
                assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse(cutCsv, "q.csv")).getMessage());
        assertTrue(assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse("uuid, memory.total [MiB]\nGPU-1, 10 MiB\n", "q.csv"))
                .getMessage().contains("no 'name' column"));
        assertTrue(assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse("   \n", "q.csv")).getMessage().contains("empty"));
        assertTrue(assertThrows(ReportInputException.class, () -> NvidiaSmiParser.parse("hello\n", "q.csv"))
                .getMessage().startsWith("q.csv:1:1: not nvidia-smi output"));
    }

    @Test
    void externalEntitiesAndTheDtdAreNeverLoaded(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE nvidia_smi_log [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<nvidia_smi_log><driver_version>&x;</driver_version><gpu id=\"0\"><product_name>NVIDIA H100 &x;</product_name>"
                + "</gpu></nvidia_smi_log>";
        try {
            NvidiaSmiResult r = NvidiaSmiParser.parse(xxe, "evil.xml");
            assertFalse(r.toString().contains("TOP-SECRET-CONTENT"), r.toString());
        } catch (ReportInputException e) {
            assertFalse(e.getMessage().contains("TOP-SECRET-CONTENT"), e.getMessage());
        }
        // The real output names an external DTD that does not exist here: it is not fetched, parsing works.
        assertTrue(Fixtures.text(H200_XML).contains("<!DOCTYPE nvidia_smi_log SYSTEM \"nvsmi_device_v13.dtd\">"));
        String missingDtd = Fixtures.text(H200_XML).replace("nvsmi_device_v13.dtd", dir.resolve("absent.dtd").toUri().toString());
        assertInstanceOf(Inventory.class, NvidiaSmiParser.parse(missingDtd, "gpu.xml"));
    }

    @Test
    void shortModelNames() {
        assertEquals("H200", GpuModelNames.shortName("NVIDIA H200"));
        assertEquals("H100", GpuModelNames.shortName("NVIDIA H100 80GB HBM3"));
        assertEquals("H100", GpuModelNames.shortName("NVIDIA H100 PCIe"));
        assertEquals("H200", GpuModelNames.shortName("NVIDIA H200 NVL"));
        assertEquals("GH200", GpuModelNames.shortName("NVIDIA GH200 480GB"));
        assertEquals("B200", GpuModelNames.shortName("NVIDIA B200"));
        assertEquals("A100", GpuModelNames.shortName("NVIDIA A100-SXM4-80GB"));
        assertEquals("A100", GpuModelNames.shortName("NVIDIA A100 80GB PCIe"));
        assertEquals("P100", GpuModelNames.shortName("Tesla P100-PCIE-16GB"));
        assertEquals("T4", GpuModelNames.shortName("Tesla T4"));
        assertEquals("L40S", GpuModelNames.shortName("NVIDIA L40S"));
        assertEquals("RTX4090", GpuModelNames.shortName("NVIDIA GeForce RTX 4090"));
        assertEquals("RTXA5000", GpuModelNames.shortName("NVIDIA RTX A5000"));
        assertEquals("RTX6000ADA", GpuModelNames.shortName("NVIDIA RTX 6000 Ada Generation"));
        assertEquals("RTX4090", GpuModelNames.canonical("rtx-4090"));
    }
}
