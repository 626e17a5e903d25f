package dev.basilica.report.gpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GPU product names as nvidia-smi prints them, mapped to the model names validators score and the model's
 * {@code hosts[].gpus[].model} uses ("NVIDIA H100 80GB HBM3" → H100), through one table.
 *
 * <p>Each known product has a model name and aliases for its variant (H100 SXM, PCIe or NVL; A100 40 or 80 GB):
 * a model that names only {@code H100} accepts every H100, one that names {@code H100-NVL} only that variant.
 * A name the default table cut ("Tesla V100-SXM2...") resolves when every known product it can be the start of is
 * the same model, and is otherwise ambiguous: the candidates are reported, never guessed between. A complete name
 * that is not in the table is reduced by rule (brand words dropped, the first word kept: "Tesla P4" → P4).
 */
public final class GpuModelNames {

    /** One known product: the name nvidia-smi prints, its model, and the variant aliases a model may use instead. */
    record Product(String name, String model, List<String> aliases) {}

    private static final List<Product> TABLE = List.of(
            p("NVIDIA H100 80GB HBM3", "H100", "H100-SXM", "H100-SXM5", "H100-SXM5-80GB", "H100-80GB"),
            p("NVIDIA H100 PCIe", "H100", "H100-PCIe", "H100-PCIe-80GB", "H100-80GB"),
            p("NVIDIA H100 NVL", "H100", "H100-NVL", "H100-NVL-94GB"),
            p("NVIDIA H200", "H200", "H200-SXM", "H200-141GB"),
            p("NVIDIA H200 NVL", "H200", "H200-NVL"),
            p("NVIDIA H800", "H800", "H800-SXM"),
            p("NVIDIA GH200 480GB", "GH200"),
            p("NVIDIA B200", "B200"),
            p("NVIDIA A100-SXM4-40GB", "A100", "A100-SXM", "A100-SXM4", "A100-40GB", "A100-SXM4-40GB"),
            p("NVIDIA A100-SXM4-80GB", "A100", "A100-SXM", "A100-SXM4", "A100-80GB", "A100-SXM4-80GB"),
            p("NVIDIA A100-PCIE-40GB", "A100", "A100-PCIe", "A100-40GB", "A100-PCIe-40GB"),
            p("NVIDIA A100 80GB PCIe", "A100", "A100-PCIe", "A100-80GB", "A100-PCIe-80GB"),
            p("NVIDIA A800-SXM4-80GB", "A800", "A800-SXM4"),
            p("NVIDIA A30", "A30"),
            p("NVIDIA A40", "A40"),
            p("NVIDIA A10", "A10"),
            p("NVIDIA A10G", "A10G"),
            p("NVIDIA L40S", "L40S"),
            p("NVIDIA L40", "L40"),
            p("NVIDIA L4", "L4"),
            p("NVIDIA RTX A6000", "RTXA6000"),
            p("NVIDIA RTX A5000", "RTXA5000"),
            p("NVIDIA RTX A4000", "RTXA4000"),
            p("NVIDIA RTX 6000 Ada Generation", "RTX6000ADA"),
            p("NVIDIA RTX 4000 SFF Ada Generation", "RTX4000SFFADA"),
            p("NVIDIA GeForce RTX 4090", "RTX4090"),
            p("NVIDIA GeForce RTX 4080 SUPER", "RTX4080SUPER"),
            p("NVIDIA GeForce RTX 4080", "RTX4080"),
            p("NVIDIA GeForce RTX 3090", "RTX3090"),
            p("NVIDIA GeForce RTX 3090 Ti", "RTX3090TI"),
            p("NVIDIA GeForce RTX 2080 SUPER", "RTX2080SUPER"),
            p("NVIDIA GeForce RTX 2080 Ti", "RTX2080TI"),
            p("NVIDIA GeForce RTX 2080", "RTX2080"),
            p("Tesla V100-SXM2-16GB", "V100", "V100-SXM2", "V100-16GB"),
            p("Tesla V100-SXM2-32GB", "V100", "V100-SXM2", "V100-32GB"),
            p("Tesla V100-PCIE-16GB", "V100", "V100-PCIe", "V100-16GB"),
            p("Tesla V100-PCIE-32GB", "V100", "V100-PCIe", "V100-32GB"),
            p("Tesla P100-PCIE-16GB", "P100", "P100-PCIe"),
            p("Tesla T4", "T4"));

    /** Brand words in front of the model. */
    private static final Set<String> BRANDS = Set.of("NVIDIA", "TESLA", "GEFORCE", "QUADRO", "GRID");
    /** Series words that are part of the model together with the next word ("RTX 4090", "RTX A5000"). */
    private static final Set<String> SERIES = Set.of("RTX", "GTX", "TITAN");

    /**
     * What a product name says about the model.
     *
     * @param model      the model, or null when a cut name is ambiguous or unknown
     * @param truncated  the name was cut (ends in "...")
     * @param candidates for a cut name, the known products it can be the start of; for a complete name, itself
     */
    public record Resolution(String model, boolean truncated, List<String> candidates) {}

    /** Whether a GPU is the model a host's model expects. */
    public enum Match { YES, NO, CANNOT_TELL }

    private GpuModelNames() {}

    private static Product p(String name, String model, String... aliases) {
        return new Product(name, model, List.of(aliases));
    }

    public static boolean isTruncated(String productName) {
        return productName.strip().endsWith("...");
    }

    public static Resolution resolve(String productName) {
        String name = productName.strip();
        if (!isTruncated(name)) {
            for (Product p : TABLE) {
                if (p.name().equalsIgnoreCase(name)) return new Resolution(p.model(), false, List.of(p.name()));
            }
            return new Resolution(byRule(name), false, List.of(name));
        }
        String prefix = name.substring(0, name.length() - 3).strip();
        List<Product> fits = candidates(prefix);
        Set<String> models = new LinkedHashSet<>();
        fits.forEach(p -> models.add(p.model()));
        return new Resolution(models.size() == 1 ? models.iterator().next() : null, true,
                fits.stream().map(Product::name).toList());
    }

    private static List<Product> candidates(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        List<Product> fits = new ArrayList<>();
        for (Product p : TABLE) {
            String n = p.name().toLowerCase(Locale.ROOT);
            // The table cut the name because it was longer than the column: the full name is longer than what is left.
            if (n.startsWith(lower) && n.length() > lower.length()) fits.add(p);
        }
        return fits;
    }

    /** The model a complete product name reduces to; for a cut name the resolved model or null. */
    public static String shortName(String productName) {
        return resolve(productName).model();
    }

    /**
     * Whether a GPU with this product name is the {@code expected} model of the host's model: the model name itself
     * or one of the variant aliases of every product the name can be.
     */
    public static Match match(String expected, String productName) {
        String want = canonical(expected);
        Resolution r = resolve(productName);
        if (!r.truncated()) {
            if (r.model() != null && canonical(r.model()).equals(want)) return Match.YES;
            Product p = TABLE.stream().filter(t -> t.name().equalsIgnoreCase(productName.strip())).findFirst().orElse(null);
            return p != null && p.aliases().stream().anyMatch(a -> canonical(a).equals(want)) ? Match.YES : Match.NO;
        }
        List<Product> fits = candidates(productName.strip().substring(0, productName.strip().length() - 3).strip());
        if (fits.isEmpty()) return Match.CANNOT_TELL;
        long yes = fits.stream().filter(p -> canonical(p.model()).equals(want)
                || p.aliases().stream().anyMatch(a -> canonical(a).equals(want))).count();
        if (yes == fits.size()) return Match.YES;
        return yes == 0 ? Match.NO : Match.CANNOT_TELL;
    }

    private static String byRule(String name) {
        List<String> words = new ArrayList<>(Arrays.asList(name.split("\\s+")));
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
