package dev.basilica.model;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.ComposerException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A model file as a tree of mappings, lists and scalars, composed straight from SnakeYAML's parser events.
 *
 * <p>It follows SnakeYAML's own composer (2.x) rule for rule: implicit tags from the same resolver, anchors and
 * aliases (an alias is the anchored node itself, so the tree may share nodes), the limits on aliases to
 * collections and on nesting, global tags refused unless the options' tag inspector allows them, and the same
 * exceptions with the same messages at the same marks. What differs is what a node keeps: only what the binder
 * reads (its kind, where it starts, and for a scalar its tag, text and whether it was plain). The composer's
 * nodes also keep two parser marks each, which hold on to the reader's buffers, and lists for comments; on a
 * fleet's model (hundreds of thousands of nodes) those were most of what the collector copied while the model
 * was read.
 */
final class YamlTree {

    private YamlTree() {}

    /** A node: where it starts, as {@link #packed line and column}. */
    sealed interface YamlNode permits Scalar, Sequence, Mapping {
        long position();
    }

    /** A scalar with its resolved (or explicit) tag; {@code plain}: written without quotes or block style. */
    record Scalar(long position, String value, Tag tag, boolean plain) implements YamlNode {}

    /**
     * A list; its items are added while it is composed (an alias inside may refer to it). This and {@link Mapping}
     * are classes, not records: such a list holds itself, and a record's equals and hashCode would never end.
     */
    static final class Sequence implements YamlNode {
        private final long position;
        final List<YamlNode> items = new ArrayList<>();

        Sequence(long position) {
            this.position = position;
        }

        @Override
        public long position() {
            return position;
        }
    }

    /** A mapping: keys and values in the order written, duplicates kept (the binder reports them). */
    static final class Mapping implements YamlNode {
        private final long position;
        final List<YamlNode> keys = new ArrayList<>();
        final List<YamlNode> values = new ArrayList<>();

        Mapping(long position) {
            this.position = position;
        }

        @Override
        public long position() {
            return position;
        }
    }

    /** A mark as one number: the line (from 0) in the high half, the column (from 0) in the low half. */
    static long packed(Mark mark) {
        return ((long) mark.getLine() << 32) | (mark.getColumn() & 0xffffffffL);
    }

    /** A packed position as the messages print it (line and column from 1). */
    static SourcePosition position(String file, long packed) {
        return new SourcePosition(file, (int) (packed >>> 32) + 1, (int) packed + 1);
    }

    /** Every document of {@code text}, in order (none for an empty stream). */
    static List<YamlNode> composeAll(String text, LoaderOptions options) {
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), options).documents();
    }

    /** A composing problem, as SnakeYAML's composer reports it. */
    static final class Refused extends ComposerException {
        private static final long serialVersionUID = 1L;

        Refused(String problem, Mark problemMark) {
            super(problem, problemMark);
        }
    }

    private static final class Composer {
        private static final Resolver RESOLVER = new Resolver();

        private final Parser parser;
        private final LoaderOptions options;
        private final Map<String, YamlNode> anchors = new HashMap<>();
        private int aliasesToCollections;
        private int depth;

        Composer(Parser parser, LoaderOptions options) {
            this.parser = parser;
            this.options = options;
        }

        List<YamlNode> documents() {
            List<YamlNode> documents = new ArrayList<>();
            while (true) {
                if (parser.checkEvent(Event.ID.StreamStart)) parser.getEvent();
                if (parser.checkEvent(Event.ID.StreamEnd)) return documents;
                parser.getEvent(); // the document's start
                YamlNode root = node();
                parser.getEvent(); // its end
                anchors.clear();
                documents.add(root);
            }
        }

        private YamlNode node() {
            if (parser.checkEvent(Event.ID.Alias)) {
                AliasEvent alias = (AliasEvent) parser.getEvent();
                YamlNode target = anchors.get(alias.getAnchor());
                if (target == null) throw new Refused("found undefined alias " + alias.getAnchor(), alias.getStartMark());
                if (!(target instanceof Scalar) && ++aliasesToCollections > options.getMaxAliasesForCollections()) {
                    throw new YAMLException("Number of aliases for non-scalar nodes exceeds the specified max="
                            + options.getMaxAliasesForCollections());
                }
                return target;
            }
            String anchor = ((NodeEvent) parser.peekEvent()).getAnchor();
            if (depth > options.getNestingDepthLimit()) {
                throw new YAMLException("Nesting Depth exceeded max " + options.getNestingDepthLimit());
            }
            depth++;
            YamlNode node;
            if (parser.checkEvent(Event.ID.Scalar)) {
                node = scalar(anchor);
            } else if (parser.checkEvent(Event.ID.SequenceStart)) {
                Sequence sequence = new Sequence(packed(start().getStartMark()));
                if (anchor != null) anchors.put(anchor, sequence);
                while (!parser.checkEvent(Event.ID.SequenceEnd)) sequence.items.add(node());
                parser.getEvent();
                node = sequence;
            } else {
                Mapping mapping = new Mapping(packed(start().getStartMark()));
                if (anchor != null) anchors.put(anchor, mapping);
                while (!parser.checkEvent(Event.ID.MappingEnd)) {
                    mapping.keys.add(node());
                    mapping.values.add(node());
                }
                parser.getEvent();
                node = mapping;
            }
            depth--;
            return node;
        }

        private Scalar scalar(String anchor) {
            ScalarEvent event = (ScalarEvent) parser.getEvent();
            String tag = event.getTag();
            Tag resolved = tag == null || tag.equals("!")
                    ? RESOLVER.resolve(NodeId.scalar, event.getValue(), event.getImplicit().canOmitTagInPlainScalar())
                    : explicit(tag, event.getStartMark());
            Scalar scalar = new Scalar(packed(event.getStartMark()), event.getValue(), resolved, event.isPlain());
            if (anchor != null) anchors.put(anchor, scalar);
            return scalar;
        }

        /** A collection's start event, its explicit tag checked as the composer does. */
        private CollectionStartEvent start() {
            CollectionStartEvent event = (CollectionStartEvent) parser.getEvent();
            String tag = event.getTag();
            if (tag != null && !tag.equals("!")) explicit(tag, event.getStartMark());
            return event;
        }

        private Tag explicit(String tag, Mark at) {
            Tag t = new Tag(tag);
            if (t.isCustomGlobal() && !options.getTagInspector().isGlobalTagAllowed(t)) {
                throw new Refused("Global tag is not allowed: " + tag, at);
            }
            return t;
        }
    }
}
