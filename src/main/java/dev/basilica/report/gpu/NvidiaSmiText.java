package dev.basilica.report.gpu;

import dev.basilica.report.ReportInputException;
import dev.basilica.report.gpu.NvidiaSmiResult.GpuDevice;
import dev.basilica.report.gpu.NvidiaSmiResult.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The human-readable forms of nvidia-smi: the default table (every layout since the 79-column one of drivers
 * before CUDA 11, the Windows one with {@code Driver-Model}, and the {@code KMD Version} header of newer drivers),
 * the {@code -q}/{@code -a} text, and the {@code -L} list.
 */
final class NvidiaSmiText {

    private static final Pattern TABLE_HEADER = Pattern.compile(
            "NVIDIA-SMI\\s+\\S+\\s+(?:Driver|KMD) Version:\\s*(\\S+)(?:\\s+CUDA(?: UMD)? Version:\\s*(\\S+))?");
    private static final Pattern GPU_CELL = Pattern.compile("\\s*(\\d+)\\s+(.+?)\\s+(On|Off|TCC|WDDM|MCDM|N/A)\\s*");
    private static final Pattern BUS_CELL = Pattern.compile("\\s*([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f]).*");
    private static final Pattern MEMORY_CELL = Pattern.compile(".*?(\\d+)\\s*MiB\\s*/\\s*(\\d+)\\s*MiB.*");
    private static final Pattern MIG_ROW = Pattern.compile("\\s*(\\d+)\\s+(\\d+|N/A)\\s+(\\d+|N/A)\\s+(\\d+)\\s*");
    private static final Pattern LIST_GPU = Pattern.compile("GPU (\\d+): (.+?) \\(UUID: ([^)]+)\\)\\s*");
    private static final Pattern LIST_MIG = Pattern.compile("\\s+MIG .*Device\\s+\\d+: \\(UUID: [^)]+\\)\\s*");
    private static final Pattern Q_GPU = Pattern.compile("GPU ([0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}\\.[0-9A-Fa-f])\\s*");
    private static final Pattern Q_LINE = Pattern.compile("( *)([^:]+?)\\s*:\\s?(.*)");

    static final String NO_SERIALS = "the default table shows no GPU UUIDs or serial numbers";

    private NvidiaSmiText() {}

    static boolean isTable(String text) {
        return TABLE_HEADER.matcher(text).find() && text.contains("|");
    }

    static boolean isQuery(String text) {
        return text.contains("==============NVSMI LOG==============");
    }

    static boolean isList(String text) {
        String first = text.strip().lines().findFirst().orElse("");
        return LIST_GPU.matcher(first).matches();
    }

    // ---------------------------------------------------------------------------------------------- table

    static Inventory table(String text, String source) throws ReportInputException {
        Matcher h = TABLE_HEADER.matcher(text);
        h.find();
        String driver = h.group(1);
        String cuda = h.group(2) == null || h.group(2).equals("N/A") ? null : h.group(2);
        boolean migColumn = text.contains("MIG M.");
        List<String> notes = new ArrayList<>();
        notes.add(NO_SERIALS);
        if (!migColumn) notes.add("this table layout (drivers before CUDA 11) has no MIG column");
        List<Row> rows = new ArrayList<>();
        Map<Integer, Integer> migDevices = new LinkedHashMap<>();
        boolean inMig = false;
        for (String line : text.lines().toList()) {
            if (line.contains("MIG devices:")) inMig = true;
            if (line.contains("Processes:")) inMig = false;
            String t = line.strip();
            if (!t.startsWith("|")) continue;
            String[] cells = t.substring(1).split("\\|", -1);
            if (inMig && cells.length == 5) {
                Matcher m = MIG_ROW.matcher(cells[0]);
                if (m.matches()) migDevices.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
                continue;
            }
            if (cells.length != 4) continue;
            Matcher g = GPU_CELL.matcher(cells[0]);
            Matcher b = BUS_CELL.matcher(cells[1]);
            if (g.matches() && b.matches()) {
                rows.add(new Row(Integer.parseInt(g.group(1)), g.group(2).strip(), b.group(1), cells[2].strip()));
            } else if (!rows.isEmpty()) {
                Row r = rows.get(rows.size() - 1);
                Matcher m = MEMORY_CELL.matcher(cells[1]);
                if (r.memory == null && m.matches()) r.memory = Long.parseLong(m.group(2));
                else if (migColumn && cells[0].isBlank() && r.mig == null && r.memory != null) r.mig = cells[2].strip();
            }
        }
        if (rows.isEmpty()) {
            throw new ReportInputException(source, "an nvidia-smi table without GPU rows; expected " + NvidiaSmiParser.EXPECTED);
        }
        List<GpuDevice> gpus = new ArrayList<>();
        for (Row r : rows) {
            GpuModelNames.Resolution res = GpuModelNames.resolve(r.name);
            if (res.truncated()) notes.add(truncation(r.index, r.name, res));
            String mig = "Enabled".equals(r.mig) || "Disabled".equals(r.mig) ? r.mig : null;
            Integer instances = "Enabled".equals(mig) ? migDevices.getOrDefault(r.index, 0) : mig != null ? 0 : null;
            gpus.add(new GpuDevice(r.index, r.name, res.model(), null, r.memory, mig, ecc(r.ecc), r.pci, instances));
        }
        return new Inventory("table", driver, cuda, null, gpus, notes);
    }

    /** The "Volatile Uncorr. ECC" cell: an error count or "On" when ECC is enabled, "Off" when disabled. */
    private static String ecc(String cell) {
        if (cell.matches("\\d+") || cell.equals("On")) return "Enabled";
        if (cell.equals("Off")) return "Disabled";
        return null;
    }

    static String truncation(int index, String name, GpuModelNames.Resolution r) {
        String cut = "GPU " + index + "'s name is cut to '" + name + "' by the table";
        if (r.model() != null) {
            return cut + ": " + r.model() + (r.candidates().size() > 1 ? " (one of " + String.join(", ", r.candidates()) + ")" : "")
                    + "; the exact variant is not shown";
        }
        if (r.candidates().isEmpty()) return cut + ": no known GPU starts so; the model cannot be told";
        return cut + ": ambiguous between " + String.join(", ", r.candidates());
    }

    private static final class Row {
        final int index;
        final String name;
        final String pci;
        final String ecc;
        Long memory;
        String mig;

        Row(int index, String name, String pci, String ecc) {
            this.index = index;
            this.name = name;
            this.pci = pci;
            this.ecc = ecc;
        }
    }

    // ---------------------------------------------------------------------------------------------- -q

    static Inventory query(String text, String source) throws ReportInputException {
        String driver = null;
        String kmd = null;
        String cuda = null;
        String umd = null;
        Integer attached = null;
        List<Map<String, String>> blocks = new ArrayList<>();
        List<Integer> migCounts = new ArrayList<>();
        Map<String, String> current = null;
        List<String[]> stack = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank()) continue;
            Matcher g = Q_GPU.matcher(line);
            if (g.matches()) {
                current = new LinkedHashMap<>();
                current.put("PCI/Bus Id", g.group(1));
                blocks.add(current);
                migCounts.add(0);
                stack.clear();
                continue;
            }
            Matcher m = Q_LINE.matcher(line);
            int indent = line.length() - line.stripLeading().length();
            while (!stack.isEmpty() && Integer.parseInt(stack.get(stack.size() - 1)[0]) >= indent) stack.remove(stack.size() - 1);
            if (!m.matches()) {
                String section = line.strip();
                if (current != null && indent == 4 && section.equals("MIG Device")) {
                    migCounts.set(migCounts.size() - 1, migCounts.get(migCounts.size() - 1) + 1);
                }
                stack.add(new String[] {String.valueOf(indent), section});
                continue;
            }
            String key = m.group(2).strip();
            String value = m.group(3).strip();
            if (current == null) {
                String v = value.split("\\s+")[0];
                switch (key) {
                    case "Driver Version" -> driver = v;
                    case "KMD Version" -> kmd = v;
                    case "CUDA Version" -> cuda = v;
                    case "CUDA UMD Version" -> umd = v;
                    case "Attached GPUs" -> attached = NvidiaSmiParser.integer(v);
                    default -> { }
                }
                continue;
            }
            StringBuilder path = new StringBuilder();
            for (String[] s : stack) path.append(s[1]).append('/');
            current.putIfAbsent(path + key, value);
        }
        if (blocks.isEmpty()) throw new ReportInputException(source, "'nvidia-smi -q' output that lists no GPU");
        List<GpuDevice> gpus = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Map<String, String> b = blocks.get(i);
            String name = NvidiaSmiParser.available(b.get("Product Name"));
            if (name == null) throw new ReportInputException(source, "GPU number " + (i + 1) + " has no 'Product Name'");
            Integer index = NvidiaSmiParser.integer(b.get("Minor Number"));
            String mig = NvidiaSmiParser.available(b.get("MIG Mode/Current"));
            gpus.add(new GpuDevice(index != null ? index : i, name, GpuModelNames.shortName(name),
                    NvidiaSmiParser.available(b.get("GPU UUID")), NvidiaSmiParser.memoryMib(b.get("FB Memory Usage/Total"), null),
                    mig, NvidiaSmiParser.available(b.get("ECC Mode/Current")),
                    NvidiaSmiParser.available(b.getOrDefault("PCI/Bus Id", null)),
                    "Enabled".equalsIgnoreCase(mig) ? migCounts.get(i) : mig != null ? 0 : null));
        }
        gpus.sort(java.util.Comparator.comparing(GpuDevice::index));
        return new Inventory("text", kmd != null ? kmd : driver, umd != null ? umd : NvidiaSmiParser.available(cuda), attached, gpus,
                List.of());
    }

    // ---------------------------------------------------------------------------------------------- -L

    static Inventory list(String text, String source) throws ReportInputException {
        List<GpuDevice> gpus = new ArrayList<>();
        List<Integer> mig = new ArrayList<>();
        int line = 0;
        for (String l : text.lines().toList()) {
            line++;
            if (l.isBlank()) continue;
            Matcher g = LIST_GPU.matcher(l);
            if (g.matches()) {
                String name = g.group(2).strip();
                gpus.add(new GpuDevice(Integer.parseInt(g.group(1)), name, GpuModelNames.shortName(name), g.group(3), null, null, null,
                        null, null));
                mig.add(0);
            } else if (LIST_MIG.matcher(l).matches() && !gpus.isEmpty()) {
                mig.set(mig.size() - 1, mig.get(mig.size() - 1) + 1);
            } else {
                throw new ReportInputException(source, line, 1, "not a line of 'nvidia-smi -L' output");
            }
        }
        List<GpuDevice> withMig = new ArrayList<>();
        for (int i = 0; i < gpus.size(); i++) {
            GpuDevice g = gpus.get(i);
            int n = mig.get(i);
            withMig.add(n == 0 ? g : new GpuDevice(g.index(), g.productName(), g.model(), g.uuid(), null, "Enabled", null, null, n));
        }
        return new Inventory("list", null, null, null, withMig, List.of(
                "'nvidia-smi -L' tells names, UUIDs and MIG devices only: no driver version, memory, ECC mode, and MIG mode only"
                        + " where MIG devices are listed"));
    }
}
