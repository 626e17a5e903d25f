package dev.basilica.report.gpu;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import dev.basilica.report.gpu.NvidiaSmiResult.Failure;
import dev.basilica.report.gpu.NvidiaSmiResult.GpuDevice;
import dev.basilica.report.gpu.NvidiaSmiResult.Inventory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks one host's GPUs: that nvidia-smi works, and, when the model says what the host should have,
 * the models, counts and driver branch; plus MIG and ECC modes.
 */
public final class GpuChecks {

    /**
     * What the model expects on a host: one entry of {@code hosts[].gpus}.
     *
     * @param migDevices the MIG devices each of these GPUs is partitioned into; 0: MIG disabled (whole GPUs)
     */
    public record Expected(String model, int count, String driverBranch, int migDevices) {
        /** Whole GPUs (MIG disabled). */
        public Expected(String model, int count, String driverBranch) {
            this(model, count, driverBranch, 0);
        }
    }

    private GpuChecks() {}

    /**
     * @param expected the model's GPUs for this host; null when no model was given (nothing to compare with),
     *                 empty when the model lists none
     */
    public static List<Check> of(String host, NvidiaSmiResult result, List<Expected> expected) {
        if (result instanceof Failure f) return List.of(failure(host, f));
        Inventory inv = (Inventory) result;
        List<Check> checks = new ArrayList<>();
        checks.add(inventory(host, inv));
        if (inv.gpus().isEmpty()) return checks;
        if (expected == null || expected.isEmpty()) {
            String why = expected == null ? "no model to compare with (pass --env)" : "the model lists no GPUs for this host";
            for (String what : List.of("model", "count", "driver")) {
                checks.add(Check.of(id(host, what), host, Category.GPU, Status.SKIP, "Not compared: " + why, List.of(), null));
            }
        } else {
            checks.add(model(host, inv, expected));
            checks.add(count(host, inv, expected));
            checks.add(driver(host, inv, expected));
        }
        checks.add(expected == null || expected.isEmpty() ? mode(host, inv, "mig") : mig(host, inv, expected));
        checks.add(mode(host, inv, "ecc"));
        return checks;
    }

    /** The check for a host the model expects GPUs on but no nvidia-smi output was given for. */
    public static Check notGiven(String host) {
        return Check.of(id(host, "nvidia-smi"), host, Category.GPU, Status.SKIP, "No nvidia-smi output given for this host",
                List.of(), "Pass --gpu " + host + "=FILE with the output of 'nvidia-smi -q -x' from the host.");
    }

    private static Check failure(String host, Failure f) {
        List<String> evidence = new ArrayList<>();
        evidence.add("nvidia-smi: " + f.firstLine());
        String title;
        String remediation;
        switch (f.kind()) {
            case DRIVER_LIBRARY_MISMATCH -> {
                if (f.detail() != null) evidence.add("NVML library version " + f.detail());
                title = "NVIDIA driver/library version mismatch";
                remediation = "The loaded kernel module and the installed NVML library are different driver versions, usually"
                        + " after an unattended driver upgrade. Reboot the host to load the matching module (or reinstall the"
                        + " driver branch the model pins), and hold the driver packages (apt-mark hold) so it does not recur.";
            }
            case NO_DEVICES -> {
                title = "The NVIDIA driver sees no GPU";
                remediation = "Check that the GPUs are present and passed through to this machine ('lspci | grep -i nvidia'),"
                        + " and look for driver errors ('dmesg | grep -i -e nvrm -e xid'): a GPU that fell off the bus needs a reset"
                        + " or a reboot.";
            }
            case DRIVER_NOT_LOADED -> {
                title = "nvidia-smi cannot reach the NVIDIA driver";
                remediation = "The kernel module is not loaded: run 'modprobe nvidia' and read the error. With Secure Boot an"
                        + " unsigned module is refused (enrol the MOK key or use signed packages); after a kernel upgrade,"
                        + " reinstall the driver for the new kernel.";
            }
            case NVML_INIT_FAILED -> {
                if (f.detail() != null) evidence.add("reason: " + f.detail());
                title = "nvidia-smi failed to initialise NVML";
                remediation = "Run nvidia-smi as root on the host and read 'dmesg'; inside a container, check the NVIDIA"
                        + " container runtime and that the device nodes are passed in.";
            }
            default -> {
                title = "nvidia-smi is not installed";
                remediation = "Install the NVIDIA driver (the provisioning playbook's driver role), which provides nvidia-smi.";
            }
        }
        return Check.of(id(host, "nvidia-smi"), host, Category.GPU, Status.FAIL, title, evidence, remediation);
    }

    private static Check inventory(String host, Inventory inv) {
        List<String> evidence = new ArrayList<>();
        evidence.add("driver " + or(inv.driverVersion(), "unknown") + (inv.cudaVersion() != null ? ", CUDA " + inv.cudaVersion() : "")
                + " (" + formLabel(inv.format()) + ")");
        for (GpuDevice g : inv.gpus()) evidence.add(describe(g));
        evidence.addAll(inv.notes());
        if (inv.gpus().isEmpty()) {
            return Check.of(id(host, "nvidia-smi"), host, Category.GPU, Status.FAIL, "nvidia-smi lists no GPU", evidence,
                    "Check that the GPUs are present and passed through ('lspci | grep -i nvidia').");
        }
        if (inv.attachedGpus() != null && inv.attachedGpus() != inv.gpus().size()) {
            evidence.add("attached_gpus says " + inv.attachedGpus() + ", the output describes " + inv.gpus().size());
            return Check.of(id(host, "nvidia-smi"), host, Category.GPU, Status.WARN,
                    "nvidia-smi describes " + inv.gpus().size() + " of " + inv.attachedGpus() + " attached GPUs", evidence,
                    "Collect the output without '-i', so that every GPU is listed.");
        }
        return Check.of(id(host, "nvidia-smi"), host, Category.GPU, Status.PASS,
                "nvidia-smi lists " + inv.gpus().size() + " GPU" + (inv.gpus().size() == 1 ? "" : "s") + ": " + summary(inv), evidence, null);
    }

    /** The form a result was read from, as the command that prints it. */
    static String formLabel(String format) {
        return switch (format) {
            case "xml" -> "nvidia-smi -q -x";
            case "text" -> "nvidia-smi -q";
            case "table" -> "the nvidia-smi table";
            case "list" -> "nvidia-smi -L";
            default -> "nvidia-smi --query-gpu CSV";
        };
    }

    private static Check model(String host, Inventory inv, List<Expected> expected) {
        Map<String, Integer> found = found(inv);
        List<String> wanted = expected.stream().map(e -> GpuModelNames.canonical(e.model())).distinct().toList();
        List<String> unexpected = new ArrayList<>();
        List<String> unclear = new ArrayList<>();
        for (GpuDevice g : inv.gpus()) {
            var matches = wanted.stream().map(w -> GpuModelNames.match(w, g.productName())).toList();
            if (matches.contains(GpuModelNames.Match.YES)) continue;
            String label = g.model() != null ? GpuModelNames.canonical(g.model()) : "'" + g.productName() + "'";
            if (matches.contains(GpuModelNames.Match.CANNOT_TELL)) {
                if (!unclear.contains(label)) unclear.add(label);
            } else if (!unexpected.contains(label)) {
                unexpected.add(label);
            }
        }
        List<String> missing = wanted.stream()
                .filter(w -> inv.gpus().stream().noneMatch(g -> GpuModelNames.match(w, g.productName()) != GpuModelNames.Match.NO))
                .toList();
        List<String> evidence = new ArrayList<>(List.of("model: " + String.join(", ", wanted), "nvidia-smi: " + summary(inv)));
        if (unexpected.isEmpty() && missing.isEmpty() && !unclear.isEmpty()) {
            inv.notes().stream().filter(n -> n.contains("is cut to")).forEach(evidence::add);
            return Check.of(id(host, "model"), host, Category.GPU, Status.WARN, "Cannot tell whether " + String.join(", ", unclear)
                    + " is " + String.join(" or ", wanted), evidence,
                    "The table cut the GPU name; pass 'nvidia-smi -q -x' (or 'nvidia-smi -L') output, which prints it whole.");
        }
        if (unexpected.isEmpty() && missing.isEmpty()) {
            return Check.of(id(host, "model"), host, Category.GPU, Status.PASS, "GPU model " + String.join(", ", wanted), evidence, null);
        }
        String title = !missing.isEmpty()
                ? "Expected " + String.join(", ", missing) + ", found " + String.join(", ", found.keySet())
                : "Unexpected GPU model " + String.join(", ", unexpected);
        return Check.of(id(host, "model"), host, Category.GPU, Status.FAIL, title, evidence,
                "Validators score the model nvidia-smi reports. Fix hosts[].gpus in the model, or check that this is the"
                        + " intended machine.");
    }

    private static Check count(String host, Inventory inv, List<Expected> expected) {
        Map<String, Integer> found = found(inv);
        Map<String, Integer> wanted = new LinkedHashMap<>();
        expected.forEach(e -> wanted.merge(GpuModelNames.canonical(e.model()), e.count(), Integer::sum));
        List<String> evidence = new ArrayList<>();
        Status status = Status.PASS;
        List<String> problems = new ArrayList<>();
        for (var e : wanted.entrySet()) {
            int n = (int) inv.gpus().stream().filter(g -> GpuModelNames.match(e.getKey(), g.productName()) == GpuModelNames.Match.YES)
                    .count();
            evidence.add(e.getKey() + ": model " + e.getValue() + ", nvidia-smi " + n);
            if (n < e.getValue()) {
                status = Status.FAIL;
                problems.add(n + " of " + e.getValue() + " " + e.getKey());
            } else if (n > e.getValue() && status != Status.FAIL) {
                status = Status.WARN;
                problems.add(n + " " + e.getKey() + ", the model says " + e.getValue());
            }
        }
        if (status == Status.PASS) {
            int total = wanted.values().stream().mapToInt(Integer::intValue).sum();
            return Check.of(id(host, "count"), host, Category.GPU, Status.PASS, total + " GPU" + (total == 1 ? "" : "s") + " as expected",
                    evidence, null);
        }
        return Check.of(id(host, "count"), host, Category.GPU, status, String.join("; ", problems), evidence,
                status == Status.FAIL
                        ? "A missing GPU has usually fallen off the bus or failed: check 'nvidia-smi -L', 'dmesg | grep -i xid' and"
                                + " 'lspci | grep -i nvidia', then reset or replace it."
                        : "Update hosts[].gpus[].count in the model so that capacity and scoring match the machine.");
    }

    private static Check driver(String host, Inventory inv, List<Expected> expected) {
        List<String> branches = expected.stream().map(Expected::driverBranch).filter(b -> b != null).distinct().toList();
        String actual = inv.driverVersion();
        if (branches.isEmpty() || actual == null) {
            return Check.of(id(host, "driver"), host, Category.GPU, Status.SKIP,
                    actual == null ? "The output does not say the driver version" : "The model pins no driver branch", List.of(),
                    actual == null ? "Query driver_version too, or use 'nvidia-smi -q -x'." : null);
        }
        List<String> evidence = List.of("model: driver " + String.join(" or ", branches), "nvidia-smi: driver " + actual);
        boolean ok = branches.stream().anyMatch(b -> actual.equals(b) || actual.startsWith(b + "."));
        if (ok) return Check.of(id(host, "driver"), host, Category.GPU, Status.PASS, "Driver " + actual, evidence, null);
        return Check.of(id(host, "driver"), host, Category.GPU, Status.FAIL,
                "Driver " + actual + " is not the pinned " + String.join(" or ", branches), evidence,
                "Install the pinned driver branch with the provisioning playbook (it holds the packages), then reboot.");
    }

    /**
     * MIG against the model: a GPU in MIG mode is a different offer to renters (its slices, not the GPU), so the
     * GPUs in MIG mode and the MIG devices on each must be what {@code hosts[].gpus[].mig_devices} says. Forms that
     * show the mode but not the devices ({@code --query-gpu}) compare the mode only, and say so.
     */
    private static Check mig(String host, Inventory inv, List<Expected> expected) {
        List<Integer> wanted = new ArrayList<>();
        for (Expected e : expected) {
            if (e.migDevices() > 0) for (int i = 0; i < e.count(); i++) wanted.add(e.migDevices());
        }
        wanted.sort(null);
        List<Integer> found = new ArrayList<>();
        List<String> enabled = new ArrayList<>();
        int reported = 0;
        boolean devicesListed = true;
        for (GpuDevice g : inv.gpus()) {
            if (g.migMode() == null) continue;
            reported++;
            if (!"Enabled".equalsIgnoreCase(g.migMode())) continue;
            if (g.migDevices() == null) devicesListed = false;
            found.add(g.migDevices() == null ? -1 : g.migDevices());
            enabled.add("GPU " + g.index() + (g.migDevices() == null ? "" : " (" + g.migDevices() + " MIG device"
                    + (g.migDevices() == 1 ? "" : "s") + ")"));
        }
        found.sort(null);
        List<String> evidence = new ArrayList<>();
        evidence.add("model: " + (wanted.isEmpty() ? "MIG disabled (whole GPUs)" : migWanted(expected)));
        if (reported == 0) {
            evidence.add("MIG mode: not shown by " + formLabel(inv.format()) + " for any GPU");
            return Check.of(id(host, "mig"), host, Category.GPU, wanted.isEmpty() ? Status.SKIP : Status.WARN,
                    "MIG mode not supported or not reported", evidence,
                    wanted.isEmpty() ? null : "The model expects MIG devices; collect 'nvidia-smi -q -x' to compare them.");
        }
        evidence.add("nvidia-smi: " + (enabled.isEmpty() ? "MIG disabled on every GPU" : "MIG enabled on " + String.join(", ", enabled)));
        if (wanted.isEmpty()) {
            if (enabled.isEmpty()) return Check.of(id(host, "mig"), host, Category.GPU, Status.PASS, "MIG disabled", evidence, null);
            return Check.of(id(host, "mig"), host, Category.GPU, Status.FAIL, "MIG enabled on " + enabled.size() + " GPU"
                    + (enabled.size() == 1 ? "" : "s") + ", the model offers whole GPUs", evidence,
                    "Disable MIG with 'nvidia-smi -i N -mig 0' and reset the GPU, or set hosts[].gpus[].mig_devices in the model"
                            + " if slices are the offer.");
        }
        if (found.size() != wanted.size()) {
            return Check.of(id(host, "mig"), host, Category.GPU, Status.FAIL, "MIG enabled on " + found.size() + " GPU"
                    + (found.size() == 1 ? "" : "s") + ", the model expects " + wanted.size(), evidence,
                    "Enable MIG on the GPUs the model partitions ('nvidia-smi -i N -mig 1', reset the GPU) and create the"
                            + " instances ('nvidia-smi mig -cgi ... -C'), or correct hosts[].gpus[].mig_devices.");
        }
        if (!devicesListed) {
            evidence.add(formLabel(inv.format()) + " does not list MIG devices: only the mode is compared");
            return Check.of(id(host, "mig"), host, Category.GPU, Status.PASS, "MIG enabled on " + found.size() + " GPU"
                    + (found.size() == 1 ? "" : "s") + " as modelled (devices not listed by this form)", evidence, null);
        }
        if (!found.equals(wanted)) {
            return Check.of(id(host, "mig"), host, Category.GPU, Status.FAIL, "MIG devices per GPU " + found
                    + ", the model expects " + wanted, evidence,
                    "Recreate the GPU and compute instances ('nvidia-smi mig -dci; nvidia-smi mig -dgi; nvidia-smi mig -cgi ... -C')"
                            + " to the modelled layout, or correct hosts[].gpus[].mig_devices.");
        }
        return Check.of(id(host, "mig"), host, Category.GPU, Status.PASS, "MIG as modelled: " + String.join(", ", enabled),
                evidence, null);
    }

    private static String migWanted(List<Expected> expected) {
        List<String> parts = new ArrayList<>();
        for (Expected e : expected) {
            parts.add(e.count() + "x " + e.model() + (e.migDevices() > 0 ? " with " + e.migDevices() + " MIG device"
                    + (e.migDevices() == 1 ? "" : "s") + " each" : " whole"));
        }
        return String.join(", ", parts);
    }

    private static Check mode(String host, Inventory inv, String which) {
        boolean mig = which.equals("mig");
        String label = mig ? "MIG" : "ECC";
        List<String> enabled = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (GpuDevice g : inv.gpus()) {
            String m = mig ? g.migMode() : g.eccMode();
            if ("Enabled".equalsIgnoreCase(m) && mig && g.migDevices() != null) {
                enabled.add("GPU " + g.index() + " (" + g.migDevices() + " MIG device" + (g.migDevices() == 1 ? "" : "s") + ")");
            } else if ("Enabled".equalsIgnoreCase(m)) enabled.add("GPU " + g.index());
            else if ("Disabled".equalsIgnoreCase(m)) disabled.add("GPU " + g.index());
        }
        if (enabled.isEmpty() && disabled.isEmpty()) {
            return Check.of(id(host, which), host, Category.GPU, Status.SKIP, label + " mode not supported or not reported",
                    List.of(label + " mode: not shown by " + formLabel(inv.format()) + " for any GPU"), null);
        }
        List<String> evidence = new ArrayList<>();
        if (!enabled.isEmpty()) evidence.add(label + " enabled: " + String.join(", ", enabled));
        if (!disabled.isEmpty()) evidence.add(label + " disabled: " + String.join(", ", disabled));
        if (mig) {
            if (enabled.isEmpty()) return Check.of(id(host, which), host, Category.GPU, Status.PASS, "MIG disabled", evidence, null);
            evidence.add("no model GPUs to compare with: the instances are reported, not compared");
            return Check.of(id(host, which), host, Category.GPU, Status.WARN, "MIG enabled on " + enabled.size() + " GPU"
                    + (enabled.size() == 1 ? "" : "s"), evidence,
                    "Validators rent and score whole GPUs; disable MIG with 'nvidia-smi -i N -mig 0' and reset the GPU, unless"
                            + " slices are intended.");
        }
        if (disabled.isEmpty()) return Check.of(id(host, which), host, Category.GPU, Status.PASS, "ECC enabled", evidence, null);
        return Check.of(id(host, which), host, Category.GPU, Status.WARN, "ECC disabled on " + disabled.size() + " GPU"
                + (disabled.size() == 1 ? "" : "s"), evidence,
                "Memory errors go undetected without ECC; enable it with 'nvidia-smi -e 1' and reboot.");
    }

    private static Map<String, Integer> found(Inventory inv) {
        Map<String, Integer> found = new TreeMap<>();
        for (GpuDevice g : inv.gpus()) {
            found.merge(g.model() != null ? GpuModelNames.canonical(g.model()) : "'" + g.productName() + "'", 1, Integer::sum);
        }
        return found;
    }

    /** "8x H100" or "1x H100, 1x A100". */
    static String summary(Inventory inv) {
        List<String> parts = new ArrayList<>();
        found(inv).forEach((m, n) -> parts.add(n + "x " + m));
        return String.join(", ", parts);
    }

    static String describe(GpuDevice g) {
        List<String> parts = new ArrayList<>();
        parts.add("GPU " + g.index() + ": " + g.productName() + " (" + (g.model() != null ? g.model() : "model unknown") + ")");
        if (g.memoryMib() != null) parts.add(g.memoryMib() + " MiB");
        if (g.migMode() != null) {
            parts.add("MIG " + g.migMode() + (g.migDevices() != null && g.migDevices() > 0 ? " (" + g.migDevices() + " MIG devices)" : ""));
        }
        if (g.eccMode() != null) parts.add("ECC " + g.eccMode());
        if (g.pciBusId() != null) parts.add(g.pciBusId());
        return String.join(", ", parts);
    }

    private static String or(String s, String fallback) {
        return s != null ? s : fallback;
    }

    static String id(String host, String what) {
        return "gpu." + host + "." + what;
    }
}
