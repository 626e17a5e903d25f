package dev.basilica.emit.terraform;

/**
 * One {@code .tf} file: a header comment, then top-level blocks separated by blank lines, laid out
 * exactly as {@code terraform fmt} would lay them out (so {@code terraform fmt -check} passes).
 */
public final class HclFile extends HclBody {

    private final String header;

    /** @param header the first line, a complete comment including its {@code #} and newline */
    public HclFile(String header) {
        if (!header.startsWith("#") || !header.endsWith("\n") || header.indexOf('\n') != header.length() - 1) {
            throw new IllegalArgumentException("the header is one comment line: " + header);
        }
        this.header = header;
    }

    public String render() {
        StringBuilder out = new StringBuilder(header);
        if (!isEmpty()) {
            out.append('\n');
            render(out, 0);
        }
        return out.toString();
    }
}
