package dev.basilica.importer;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A small ordered YAML document built for one purpose: writing a model a reviewer reads, with a
 * comment naming where each value came from and TODO lines for what is missing. A TODO entry is
 * written commented out; a mapping whose entries are all commented out is commented out itself, so
 * the text stays valid YAML whatever is missing.
 */
final class YamlTree {

    /** A key with a scalar (raw YAML text), a mapping, or a list of mappings. */
    static final class Node {
        final String key;
        final String scalar;
        final boolean list;
        final List<Node> children = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String comment;
        boolean todo;
        /** Top level: a blank line before this entry even when it is a scalar. */
        boolean gap;

        private Node(String key, String scalar, boolean list) {
            this.key = key;
            this.scalar = scalar;
            this.list = list;
        }

        static Node root() {
            return new Node(null, null, false);
        }

        /** {@code key: value} where value is raw YAML (use {@link #scalar(String)} for text). */
        Node put(String key, String raw, String comment) {
            Node n = new Node(key, raw, false);
            // A comment may quote a value as written in the file, which can span lines.
            n.comment = comment == null ? null : comment.replace("\r", "").replace('\n', ' ');
            children.add(n);
            return n;
        }

        /** {@code # key: <placeholder>  # TODO: why}: a required value the importer does not know. */
        Node todo(String key, String placeholder, String why) {
            Node n = put(key, placeholder, "TODO: " + why);
            n.todo = true;
            return n;
        }

        Node map(String key) {
            Node n = new Node(key, null, false);
            children.add(n);
            return n;
        }

        Node list(String key) {
            Node n = new Node(key, null, true);
            children.add(n);
            return n;
        }

        /** An item of a list node: a mapping written with a leading "- ". */
        Node item() {
            Node n = new Node(null, null, false);
            children.add(n);
            return n;
        }

        Node note(String line) {
            notes.add(line);
            return this;
        }

        Node find(String key) {
            for (Node c : children) {
                if (key.equals(c.key)) return c;
            }
            return null;
        }

        boolean commented() {
            if (todo) return true;
            if (scalar != null || list) return false;
            return children.stream().allMatch(Node::commented);
        }
    }

    private YamlTree() {}

    /** The document: top-level mappings, lists and noted entries are set apart by a blank line. */
    static void render(Node root, StringBuilder out) {
        boolean first = true;
        for (Node n : root.children) {
            if (!first && (n.scalar == null || n.gap || !n.notes.isEmpty())) out.append('\n');
            render(n, 0, -1, out, false);
            first = false;
        }
    }

    private static void render(Node n, int indent, int commentAt, StringBuilder out, boolean dash) {
        int at = commentAt < 0 && n.commented() ? indent : commentAt;
        for (String note : n.notes) line(out, indent, -1, "# " + note, false);
        String head = n.key == null ? null : n.key + ":" + (n.scalar != null ? " " + n.scalar : "")
                + (n.comment != null ? "  # " + n.comment : "");
        if (n.key == null) {
            // A list item: its first entry carries the dash.
            boolean firstChild = true;
            for (Node c : n.children) {
                render(c, indent + 2, at, out, firstChild && dash);
                firstChild = false;
            }
            return;
        }
        line(out, indent, at, head, dash);
        if (n.list) {
            if (n.children.isEmpty()) return;
            for (Node item : n.children) render(item, indent + 2, at, out, true);
        } else {
            for (Node c : n.children) render(c, indent + 2, at, out, false);
        }
    }

    private static void line(StringBuilder out, int indent, int commentAt, String text, boolean dash) {
        int ind = dash ? indent - 2 : indent;
        String body = dash ? "- " + text : text;
        if (commentAt >= 0) {
            int c = Math.min(commentAt, ind);
            out.append(" ".repeat(c)).append("# ").append(" ".repeat(ind - c)).append(body);
        } else {
            out.append(" ".repeat(ind)).append(body);
        }
        out.append('\n');
    }

    private static final Resolver RESOLVER = new Resolver();

    /** {@code s} as a YAML string scalar: plain where it reads back as the same string, else double-quoted. */
    static String scalar(String s) {
        boolean plainSafe = !s.isEmpty() && s.matches("[A-Za-z0-9_./@~+-][A-Za-z0-9_./@~:+=-]*")
                && !s.endsWith(":") && !s.startsWith("-") && !s.startsWith("~")
                // y and n are booleans in YAML 1.1 though snakeyaml reads them as text; the loader refuses them plain.
                && !s.matches("[yYnN]")
                && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR);
        return plainSafe ? s : dev.basilica.emit.YamlWriter.quote(s);
    }
}
