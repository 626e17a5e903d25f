package dev.basilica.emit.terraform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A change of this generator that renamed resource addresses. Each provider emitter keeps the list of
 * its migrations, oldest first, forever; from them the emitter writes {@code moved} blocks, so that a
 * user who upgrades basilica gets a plan that moves state instead of destroying and recreating a
 * firewall. Never rename an address without adding a migration here.
 *
 * @param since the basilica version that introduced the new addresses
 * @param why what changed, for the comment above the moved blocks
 * @param previous maps a current address to the address the previous version used for the same
 *                 object, or returns null (or the same address) when it did not change
 */
public record AddressMigration(String since, String why, UnaryOperator<String> previous) {

    /** One {@code moved} block. */
    public record Move(String from, String to, AddressMigration migration) {}

    /**
     * The moves that carry state from every older address to {@code current}: for each current address,
     * the chain back through the migrations, newest first (Terraform follows chained moves).
     *
     * @throws IllegalStateException when two addresses would move from the same old address, or an old
     *         address is still declared
     */
    public static List<Move> moves(Collection<String> current, List<AddressMigration> migrations) {
        Set<String> declared = new HashSet<>(current);
        Map<String, Move> byFrom = new TreeMap<>();
        for (String address : current) {
            String to = address;
            for (int i = migrations.size() - 1; i >= 0; i--) {
                AddressMigration m = migrations.get(i);
                String from = m.previous().apply(to);
                if (from == null || from.equals(to)) continue;
                if (declared.contains(from)) {
                    throw new IllegalStateException("migration " + m.since() + " moves " + from + " to " + to
                            + ", but " + from + " is still declared");
                }
                Move prev = byFrom.put(from, new Move(from, to, m));
                if (prev != null && !prev.to().equals(to)) {
                    throw new IllegalStateException("both " + prev.to() + " and " + to + " would move from " + from);
                }
                to = from;
            }
        }
        return new ArrayList<>(byFrom.values());
    }
}
