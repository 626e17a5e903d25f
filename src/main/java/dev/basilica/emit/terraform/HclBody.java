package dev.basilica.emit.terraform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of an HCL file or block: attributes, nested blocks, comments and blank lines, in order.
 * Rendering follows {@code terraform fmt}: two-space indents, the {@code =} of consecutive one-line
 * attributes aligned one space after the longest name, lines with a multi-line value unaligned, one
 * blank line before each nested block that follows other content.
 */
public class HclBody {

    private sealed interface Item permits Attribute, Block, Comment, Blank {}

    private record Attribute(String name, Object value) implements Item {}

    private record Block(String type, List<String> labels, HclBody body) implements Item {}

    private record Comment(String text) implements Item {}

    private record Blank() implements Item {}

    private final List<Item> items = new ArrayList<>();

    /** Sets an attribute; see {@link Hcl} for the values it takes. */
    public HclBody attr(String name, Object value) {
        Hcl.identifier(name);
        Hcl.inline(probe(value));
        items.add(new Attribute(name, value));
        return this;
    }

    /** Sets an attribute when {@code value} is not null. */
    public HclBody attrIfPresent(String name, Object value) {
        return value == null ? this : attr(name, value);
    }

    /** Adds a nested block and returns its body. A blank line separates it from content before it. */
    public HclBody block(String type, String... labels) {
        Hcl.identifier(type);
        separate();
        HclBody body = new HclBody();
        items.add(new Block(type, List.of(labels), body));
        return body;
    }

    /** A {@code #} comment line (no newlines). A blank line separates it from a block before it. */
    public HclBody comment(String text) {
        if (text.contains("\n") || text.contains("\r")) throw new IllegalArgumentException("one line only: " + text);
        if (!items.isEmpty() && items.get(items.size() - 1) instanceof Block) items.add(new Blank());
        items.add(new Comment(text));
        return this;
    }

    /** A blank line, unless the body is empty or already ends with one. */
    public HclBody blank() {
        if (!items.isEmpty() && !(items.get(items.size() - 1) instanceof Blank)) items.add(new Blank());
        return this;
    }

    /** Addresses of the resource and data blocks directly in this body: {@code type.name} and {@code data.type.name}. */
    public List<String> addresses() {
        List<String> out = new ArrayList<>();
        for (Item item : items) {
            if (item instanceof Block b && b.labels().size() == 2) {
                if (b.type().equals("resource")) out.add(b.labels().get(0) + "." + b.labels().get(1));
                if (b.type().equals("data")) out.add("data." + b.labels().get(0) + "." + b.labels().get(1));
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    private void separate() {
        if (items.isEmpty()) return;
        Item last = items.get(items.size() - 1);
        if (!(last instanceof Blank) && !(last instanceof Comment)) items.add(new Blank());
    }

    /** Checks that nested values are HCL values, without rendering them. */
    private static Object probe(Object value) {
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (!(k instanceof String)) throw new IllegalArgumentException("object keys are strings: " + k);
                Hcl.inline(probe(v));
            });
            return Map.of();
        }
        if (value instanceof List<?> l) {
            l.forEach(v -> Hcl.inline(probe(v)));
            return List.of();
        }
        return value;
    }

    void render(StringBuilder out, int indent) {
        String pad = " ".repeat(indent);
        int i = 0;
        while (i < items.size()) {
            Item item = items.get(i);
            if (item instanceof Attribute a && Hcl.isInline(a.value())) {
                int end = i;
                int width = 0;
                while (end < items.size() && items.get(end) instanceof Attribute b && Hcl.isInline(b.value())) {
                    width = Math.max(width, b.name().length());
                    end++;
                }
                for (int k = i; k < end; k++) {
                    Attribute b = (Attribute) items.get(k);
                    out.append(pad).append(b.name()).append(" ".repeat(width - b.name().length() + 1)).append("= ")
                            .append(Hcl.inline(b.value())).append('\n');
                }
                i = end;
                continue;
            }
            if (item instanceof Attribute a) {
                out.append(pad).append(a.name()).append(" = ");
                multiline(a.value(), out, indent);
                out.append('\n');
            } else if (item instanceof Block b) {
                out.append(pad).append(b.type());
                for (String label : b.labels()) out.append(' ').append(Hcl.quote(label));
                out.append(" {\n");
                b.body().render(out, indent + 2);
                out.append(pad).append("}\n");
            } else if (item instanceof Comment c) {
                out.append(pad).append('#');
                if (!c.text().isEmpty()) out.append(' ').append(c.text());
                out.append('\n');
            } else {
                out.append('\n');
            }
            i++;
        }
    }

    /** Writes a value that spans lines, starting after {@code name = } and ending without a newline. */
    private static void multiline(Object value, StringBuilder out, int indent) {
        String inner = " ".repeat(indent + 2);
        if (value instanceof List<?> list) {
            out.append("[\n");
            for (Object v : list) {
                out.append(inner);
                if (Hcl.isInline(v)) out.append(Hcl.inline(v));
                else multiline(v, out, indent + 2);
                out.append(",\n");
            }
            out.append(" ".repeat(indent)).append(']');
            return;
        }
        Map<?, ?> map = (Map<?, ?>) value;
        out.append("{\n");
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        int i = 0;
        while (i < entries.size()) {
            if (Hcl.isInline(entries.get(i).getValue())) {
                int end = i;
                int width = 0;
                while (end < entries.size() && Hcl.isInline(entries.get(end).getValue())) {
                    width = Math.max(width, Hcl.key((String) entries.get(end).getKey()).length());
                    end++;
                }
                for (int k = i; k < end; k++) {
                    String key = Hcl.key((String) entries.get(k).getKey());
                    out.append(inner).append(key).append(" ".repeat(width - key.length() + 1)).append("= ")
                            .append(Hcl.inline(entries.get(k).getValue())).append('\n');
                }
                i = end;
            } else {
                out.append(inner).append(Hcl.key((String) entries.get(i).getKey())).append(" = ");
                multiline(entries.get(i).getValue(), out, indent + 2);
                out.append('\n');
                i++;
            }
        }
        out.append(" ".repeat(indent)).append('}');
    }
}
