package dev.basilica.report.gpu;

import java.util.List;

/** What one host's nvidia-smi output says: an inventory of GPUs, or why there is none. */
public sealed interface NvidiaSmiResult permits NvidiaSmiResult.Inventory, NvidiaSmiResult.Failure {

    /**
     * The GPUs nvidia-smi listed.
     *
     * @param format       "xml" ({@code nvidia-smi -q -x}) or "csv" ({@code --query-gpu=... --format=csv})
     * @param cudaVersion  the highest CUDA version the driver supports; null from CSV, which cannot query it
     * @param attachedGpus what the XML's {@code attached_gpus} says; null from CSV
     * @param notes        how the input was read where that was not certain (a CSV without header)
     */
    record Inventory(String format, String driverVersion, String cudaVersion, Integer attachedGpus, List<GpuDevice> gpus,
                     List<String> notes) implements NvidiaSmiResult {}

    /**
     * One GPU.
     *
     * @param model    the short model name ({@link GpuModelNames#shortName})
     * @param migMode  "Enabled", "Disabled", or null when not supported or not queried
     * @param eccMode  likewise
     */
    record GpuDevice(Integer index, String productName, String model, String uuid, Long memoryMib, String migMode,
                     String eccMode, String pciBusId) {}

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
