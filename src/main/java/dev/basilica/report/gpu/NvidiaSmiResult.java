package dev.basilica.report.gpu;

import java.util.List;

/** What one host's nvidia-smi output says: an inventory of GPUs, or why there is none. */
public sealed interface NvidiaSmiResult permits NvidiaSmiResult.Inventory, NvidiaSmiResult.Failure {

    /**
     * The GPUs nvidia-smi listed.
     *
     * @param format       "xml" ({@code nvidia-smi -q -x}), "text" ({@code nvidia-smi -q}), "table" (plain
     *                     {@code nvidia-smi}), "list" ({@code nvidia-smi -L}) or "csv" ({@code --query-gpu=... --format=csv})
     * @param cudaVersion  the highest CUDA version the driver supports; null where the form does not say it
     * @param attachedGpus what the XML's {@code attached_gpus} (or -q's "Attached GPUs") says; null otherwise
     * @param notes        how the input was read where that was not certain (a CSV without header), and what this
     *                     form cannot tell (a table has no UUIDs; a name cut by the table)
     */
    record Inventory(String format, String driverVersion, String cudaVersion, Integer attachedGpus, List<GpuDevice> gpus,
                     List<String> notes) implements NvidiaSmiResult {}

    /**
     * One GPU.
     *
     * @param migMode  "Enabled", "Disabled", or null when not supported or not queried
     * @param model      the model name ({@link GpuModelNames#resolve}); null when a cut name is ambiguous
     * @param eccMode    likewise
     * @param migDevices the MIG devices listed on this GPU; null where the form does not list them (CSV)
     */
    record GpuDevice(Integer index, String productName, String model, String uuid, Long memoryMib, String migMode,
                     String eccMode, String pciBusId, Integer migDevices) {}

    /** nvidia-smi ran but could not list GPUs. */
    record Failure(Kind kind, String detail, String firstLine) implements NvidiaSmiResult {}

    enum Kind {
        /** "Failed to initialize NVML: Driver/library version mismatch": the loaded kernel module and the library differ. */
        DRIVER_LIBRARY_MISMATCH,
        /** "No devices were found". */
        NO_DEVICES,
        /** "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver". */
        DRIVER_NOT_LOADED,
        /** Any other "Failed to initialize NVML: ...". */
        NVML_INIT_FAILED,
        /** "nvidia-smi: command not found". */
        NOT_INSTALLED
    }
}
