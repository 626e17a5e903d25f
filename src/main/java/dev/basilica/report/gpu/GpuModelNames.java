package dev.basilica.report.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GPU product names as nvidia-smi prints them, reduced to the short model names validators score and
 * the model's {@code hosts[].gpus[].model} uses: "NVIDIA H100 80GB HBM3" → H100, "NVIDIA H200" → H200,
 * "NVIDIA A100-SXM4-80GB" → A100, "NVIDIA GeForce RTX 4090" → RTX4090, "Tesla P100-PCIE-16GB" → P100.
 */
public final class GpuModelNames {

    /** Brand words in front of the model. */
    private static final Set<String> BRANDS = Set.of("NVIDIA", "TESLA", "GEFORCE", "QUADRO", "GRID");
    /** Series words that are part of the model together with the next word ("RTX 4090", "RTX A5000"). */
    private static final Set<String> SERIES = Set.of("RTX", "GTX", "TITAN");

    private GpuModelNames() {}

    public static String shortName(String productName) {
        List<String> words = new ArrayList<>(Arrays.asList(productName.strip().split("\\s+")));
        while (words.size() > 1 && BRANDS.contains(words.get(0).toUpperCase(Locale.ROOT))) words.remove(0);
        String first = words.get(0);
        String model = SERIES.contains(first.toUpperCase(Locale.ROOT)) && words.size() > 1
                ? first + words.get(1).split("-")[0]
                : first.split("-")[0];
        return canonical(model);
    }

    /** How two model names are compared: upper case, without spaces, '-' and '_' ("rtx-4090" = "RTX4090"). */
    public static String canonical(String model) {
        return model.toUpperCase(Locale.ROOT).replaceAll("[\\s_-]+", "");
    }
}
