package dev.basilica.report.gpu;

import dev.basilica.report.ReportInputException;
import dev.basilica.report.gpu.NvidiaSmiResult.Failure;
import dev.basilica.report.gpu.NvidiaSmiResult.GpuDevice;
import dev.basilica.report.gpu.NvidiaSmiResult.Inventory;
import dev.basilica.report.gpu.NvidiaSmiResult.Kind;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads what nvidia-smi printed on a host, telling the forms apart by content:
 * <ul>
 *   <li>{@code nvidia-smi -q -x}: XML ({@code <nvidia_smi_log>}); its DOCTYPE names a DTD that is never
 *       loaded, and no external entity is ever resolved;</li>
 *   <li>{@code nvidia-smi --query-gpu=FIELDS --format=csv[,noheader][,nounits]}, any fields in any order: with a
 *       header the columns are named; without one they are recognised from their values;</li>
 *   <li>the default {@code nvidia-smi} table, {@code nvidia-smi -q} text and {@code nvidia-smi -L}
 *       ({@link NvidiaSmiText});</li>
 *   <li>the error texts of a host whose GPUs cannot be listed ("Failed to initialize NVML: Driver/library
 *       version mismatch", "No devices were found", ...).</li>
 * </ul>
 */
public final class NvidiaSmiParser {

    static final String EXPECTED = "the output of 'nvidia-smi -q -x' (best), 'nvidia-smi -q', 'nvidia-smi', 'nvidia-smi -L' or"
            + " 'nvidia-smi --query-gpu=name,... --format=csv'";

    private static final Pattern LIBRARY_VERSION = Pattern.compile("NVML library version:\\s*(\\S+)");
    private static final Pattern HEADER_FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*( \\[[^\\]]+\\])?");
    private static final Pattern UUID = Pattern.compile("(GPU|MIG)-[0-9a-fA-F-]+");
    private static final Pattern PCI = Pattern.compile("[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f]");
    private static final Pattern DRIVER = Pattern.compile("\\d{3}\\.\\d{1,3}(\\.\\d{1,3})?");
    private static final Pattern MEMORY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(MiB|GiB|MB|GB|KiB)?");
    private static final Pattern GPU_NAME = Pattern.compile("(?i).*(nvidia|tesla|geforce|quadro|rtx|gtx|titan|[a-z]\\d{2,}).*");
    /** The query fields the report reads, by the names --query-gpu accepts (aliases included). */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("index", "index"), Map.entry("name", "name"), Map.entry("gpu_name", "name"),
            Map.entry("uuid", "uuid"), Map.entry("gpu_uuid", "uuid"), Map.entry("driver_version", "driver_version"),
            Map.entry("memory.total", "memory.total"), Map.entry("memory.reserved", "memory.reserved"),
            Map.entry("memory.used", "memory.used"), Map.entry("memory.free", "memory.free"),
            Map.entry("mig.mode.current", "mig"), Map.entry("ecc.mode.current", "ecc"),
            Map.entry("pci.bus_id", "pci"), Map.entry("gpu_bus_id", "pci"), Map.entry("count", "count"));
    private static final Set<String> NOT_AVAILABLE = Set.of("N/A", "[N/A]", "[Not Supported]", "[Unknown Error]",
            "[Insufficient Permissions]", "[GPU is lost]", "Not Supported", "");

    private static final java.util.Comparator<GpuDevice> BY_INDEX = java.util.Comparator.comparing(GpuDevice::index);

    private NvidiaSmiParser() {}

    public static NvidiaSmiResult parse(String text, String source) throws ReportInputException {
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String stripped = t.strip();
        if (stripped.isEmpty()) throw new ReportInputException(source, "empty file; expected " + EXPECTED);
        if (stripped.startsWith("<")) return xml(t, source);
        Failure failure = failure(stripped);
        if (failure != null) return failure;
        if (NvidiaSmiText.isQuery(stripped)) return NvidiaSmiText.query(t, source);
        if (NvidiaSmiText.isTable(stripped)) return NvidiaSmiText.table(t, source);
        if (NvidiaSmiText.isList(stripped)) return NvidiaSmiText.list(t, source);
        return csv(t, source);
    }

    /** The error texts nvidia-smi prints instead of a GPU list. */
    static Failure failure(String text) {
        String first = text.lines().findFirst().orElse("").strip();
        if (text.contains("Driver/library version mismatch")) {
            Matcher m = LIBRARY_VERSION.matcher(text);
            return new Failure(Kind.DRIVER_LIBRARY_MISMATCH, m.find() ? m.group(1) : null, first);
        }
        if (text.contains("Failed to initialize NVML")) {
            String line = text.lines().filter(l -> l.contains("Failed to initialize NVML")).findFirst().orElse(first).strip();
            String detail = line.substring(line.indexOf("Failed to initialize NVML") + "Failed to initialize NVML".length())
                    .replaceFirst("^:\\s*", "");
            return new Failure(Kind.NVML_INIT_FAILED, detail.isEmpty() ? null : detail, line);
        }
        if (text.contains("No devices were found")) return new Failure(Kind.NO_DEVICES, null, first);
        if (text.matches("(?s).*couldn.t communicate with the NVIDIA driver.*")) return new Failure(Kind.DRIVER_NOT_LOADED, null, first);
        if (text.matches("(?s).*nvidia-smi: (command )?not found.*") || text.contains("nvidia-smi: No such file or directory")) {
            return new Failure(Kind.NOT_INSTALLED, null, first);
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------- XML

    private static Inventory xml(String text, String source) throws ReportInputException {
        Document doc;
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            doc = builder.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            String why = m.contains("must start and end within the same entity") || m.contains("Premature end of file")
                    ? "the XML ends early (truncated?)"
                    : "malformed XML (" + (m.length() > 120 ? m.substring(0, 117) + "..." : m) + ")";
            throw new ReportInputException(source, Math.max(e.getLineNumber(), 0), Math.max(e.getColumnNumber(), 0),
                    why + "; expected " + EXPECTED);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new ReportInputException(source, "cannot read the XML: " + e.getMessage());
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("nvidia_smi_log")) {
            throw new ReportInputException(source, "the XML's root is <" + root.getTagName() + ">; expected <nvidia_smi_log>, the"
                    + " output of 'nvidia-smi -q -x'");
        }
        String driver = value(child(root, "driver_version"));
        String cuda = value(child(root, "cuda_version"));
        Integer attached = integer(value(child(root, "attached_gpus")));
        List<GpuDevice> gpus = new ArrayList<>();
        int position = 0;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element gpu) || !gpu.getTagName().equals("gpu")) continue;
            String name = value(child(gpu, "product_name"));
            if (name == null) {
                throw new ReportInputException(source, "<gpu> number " + (position + 1) + " has no <product_name>");
            }
            Integer index = integer(value(child(gpu, "minor_number")));
            String pci = value(child(child(gpu, "pci"), "pci_bus_id"));
            if (pci == null && !gpu.getAttribute("id").isEmpty()) pci = gpu.getAttribute("id");
            String mig = value(child(child(gpu, "mig_mode"), "current_mig"));
            int migDevices = 0;
            Element devices = child(gpu, "mig_devices");
            if (devices != null) {
                for (Node d = devices.getFirstChild(); d != null; d = d.getNextSibling()) {
                    if (d instanceof Element e && e.getTagName().equals("mig_device")) migDevices++;
                }
            }
            gpus.add(new GpuDevice(index != null ? index : position, name, GpuModelNames.shortName(name),
                    value(child(gpu, "uuid")), memoryMib(value(child(child(gpu, "fb_memory_usage"), "total")), null),
                    mig, value(child(child(gpu, "ecc_mode"), "current_ecc")), pci, mig == null ? null : migDevices));
            position++;
        }
        gpus.sort(BY_INDEX);
        return new Inventory("xml", driver, cuda, attached, gpus, List.of());
    }

    /** A parser that resolves nothing outside the document: no external DTD, entity or XInclude. */
    static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setValidating(false);
        return f;
    }

    private static Element child(Element parent, String name) {
        if (parent == null) return null;
        NodeList list = parent.getChildNodes();
        for (int i = 0; i < list.getLength(); i++) {
            if (list.item(i) instanceof Element e && e.getTagName().equals(name)) return e;
        }
        return null;
    }

    private static String value(Element e) {
        if (e == null) return null;
        return available(e.getTextContent());
    }

    // ---------------------------------------------------------------------------------------------- CSV

    private static Inventory csv(String text, String source) throws ReportInputException {
        List<String> lines = text.lines().toList();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) if (!lines.get(i).isBlank()) rows.add(i);
        String[] first = split(lines.get(rows.get(0)));
        boolean header = isHeader(first);
        if (!header && first.length < 2 && !GPU_NAME.matcher(first[0]).matches()) {
            throw new ReportInputException(source, rows.get(0) + 1, 1, "not nvidia-smi output; expected " + EXPECTED);
        }
        List<String> notes = new ArrayList<>();
        Map<String, Integer> columns = new HashMap<>();
        Map<String, String> units = new HashMap<>();
        int width = first.length;
        if (header) {
            for (int c = 0; c < first.length; c++) {
                String f = first[c];
                String unit = null;
                int bracket = f.indexOf(" [");
                if (bracket >= 0) {
                    unit = f.substring(bracket + 2, f.length() - 1);
                    f = f.substring(0, bracket);
                }
                String key = FIELDS.get(f);
                if (key != null) {
                    columns.putIfAbsent(key, c);
                    if (unit != null) units.put(key, unit);
                }
            }
            if (!columns.containsKey("name")) {
                throw new ReportInputException(source, rows.get(0) + 1, 1, "the CSV has no 'name' column; query at least"
                        + " --query-gpu=name,memory.total,driver_version");
            }
        } else {
            inferColumns(first, columns);
            if (!columns.containsKey("name")) {
                throw new ReportInputException(source, rows.get(0) + 1, 1, "cannot tell which column is the GPU name in a CSV"
                        + " without a header; run nvidia-smi with --format=csv (not noheader)");
            }
            notes.add("no header: columns recognised from their values (" + String.join(", ", columns.keySet().stream().sorted().toList())
                    + ")");
        }
        List<GpuDevice> gpus = new ArrayList<>();
        String driver = null;
        for (int r = header ? 1 : 0; r < rows.size(); r++) {
            int lineNo = rows.get(r) + 1;
            String[] v = split(lines.get(rows.get(r)));
            if (v.length != width) {
                String why = v.length < width && r == rows.size() - 1 ? " (truncated?)" : "";
                throw new ReportInputException(source, lineNo, 1, v.length + " fields where the "
                        + (header ? "header has " : "first row has ") + width + why);
            }
            String name = get(v, columns, "name");
            if (name == null) throw new ReportInputException(source, lineNo, 1, "no GPU name in this row");
            String d = get(v, columns, "driver_version");
            if (d != null) driver = d;
            Long memory = memoryMib(get(v, columns, "memory.total"), units.get("memory.total"));
            if (memory == null && columns.containsKey("memory.used") && columns.containsKey("memory.free")) {
                Long used = memoryMib(get(v, columns, "memory.used"), units.get("memory.used"));
                Long free = memoryMib(get(v, columns, "memory.free"), units.get("memory.free"));
                Long reserved = memoryMib(get(v, columns, "memory.reserved"), units.get("memory.reserved"));
                if (used != null && free != null) {
                    memory = used + free + (reserved != null ? reserved : 0);
                    if (gpus.isEmpty()) notes.add("memory.total not queried: taken as reserved + used + free");
                }
            }
            Integer index = integer(get(v, columns, "index"));
            gpus.add(new GpuDevice(index != null ? index : gpus.size(), name, GpuModelNames.shortName(name), get(v, columns, "uuid"),
                    memory, get(v, columns, "mig"), get(v, columns, "ecc"), get(v, columns, "pci"), null));
        }
        if (gpus.isEmpty()) throw new ReportInputException(source, "a CSV header and no GPU rows; expected one row per GPU");
        gpus.sort(BY_INDEX);
        if (gpus.stream().anyMatch(g -> "Enabled".equalsIgnoreCase(g.migMode()))) {
            notes.add("--query-gpu cannot list MIG devices: the count of MIG instances is not known from this form");
        }
        return new Inventory("csv", driver, null, null, gpus, notes);
    }

    private static boolean isHeader(String[] fields) {
        boolean known = false;
        for (String f : fields) {
            if (!HEADER_FIELD.matcher(f).matches()) return false;
            String base = f.contains(" [") ? f.substring(0, f.indexOf(" [")) : f;
            if (FIELDS.containsKey(base) || base.contains(".")) known = true;
        }
        return known;
    }

    /** For {@code noheader}: a column's meaning from the shape of its value. */
    private static void inferColumns(String[] v, Map<String, Integer> columns) {
        for (int c = 0; c < v.length; c++) {
            String s = v[c];
            if (c == 0 && s.matches("\\d+") && v.length > 1) columns.putIfAbsent("index", c);
            else if (UUID.matcher(s).matches()) columns.putIfAbsent("uuid", c);
            else if (PCI.matcher(s).matches()) columns.putIfAbsent("pci", c);
            else if (DRIVER.matcher(s).matches()) columns.putIfAbsent("driver_version", c);
            else if (s.matches("\\d+(\\.\\d+)? MiB")) columns.putIfAbsent("memory.total", c);
            else if (!columns.containsKey("name") && GPU_NAME.matcher(s).matches() && !s.matches("(?i)enabled|disabled|P\\d+"))
                columns.put("name", c);
        }
    }

    private static String[] split(String line) {
        String[] parts = line.split(",", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = parts[i].strip();
        return parts;
    }

    private static String get(String[] v, Map<String, Integer> columns, String key) {
        Integer c = columns.get(key);
        if (c == null) return null;
        return available(v[c]);
    }

    /** A value, or null for "N/A", "[Not Supported]", "[Requested functionality has been deprecated]" and the like. */
    static String available(String value) {
        if (value == null) return null;
        String v = value.strip();
        if (NOT_AVAILABLE.contains(v) || v.startsWith("[") && v.endsWith("]") || v.startsWith("Requested functionality")) return null;
        return v;
    }

    /** "143771 MiB", or "143771" with the unit from the header; null when not a size. */
    static Long memoryMib(String value, String headerUnit) {
        if (value == null) return null;
        Matcher m = MEMORY.matcher(value.strip());
        if (!m.matches()) return null;
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) != null ? m.group(2) : headerUnit != null ? headerUnit : "MiB";
        return switch (unit) {
            case "GiB" -> Math.round(n * 1024);
            case "GB" -> Math.round(n * 1e9 / (1024 * 1024));
            case "MB" -> Math.round(n * 1e6 / (1024 * 1024));
            case "KiB" -> Math.round(n / 1024);
            default -> Math.round(n);
        };
    }

    static Integer integer(String s) {
        if (s == null) return null;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

}
