package dev.basilica.testfleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One test fleet's network: the subnet 10.200.N.0/24, where N is unique among the runs on this
 * machine, wired as one Ethernet segment that exists only for this run.
 * <pre>
 *  root netns (the test JVM)               netns bftfN_hub                netns bftfN-alpha
 *  bftfN 10.200.N.1/24 ==veth== uplink ─┐
 *     apt repository server             ├─ br0 (bridge)
 *                                       ├─ h0 ==veth== host0 10.200.N.2/24   (systemd-nspawn --boot)
 *                                       └─ h1 ==veth== host0 10.200.N.3/24   netns bftfN-beta
 * </pre>
 * The bridge lives in its own namespace, so the machine's firewall and bridge settings never see the
 * traffic, and the only interface this adds to the machine's own namespace is {@code bftfN}. The
 * hosts get one on-link route and no default route: the test network is all they can reach, and the
 * machine does not forward what arrives on {@code bftfN} (its {@code forwarding} is 0) even if a host
 * adds a route of its own. IPv6 is off on every interface of the run.
 *
 * <p>Every name starts with {@code bftfN}, and {@code /run/basilica-testfleet/bftfN.state} names the
 * JVM that owns them, so a run can tell its leftovers from a live run's; {@code cleanup.sh --stale}
 * removes those of dead owners.
 */
final class FleetNetwork {

  static final String PREFIX = "bftf";
  static final Path STATE_DIR = Path.of("/run/basilica-testfleet");
  /** Where {@code ip netns add} puts its namespace handles; {@code --network-namespace-path} takes them. */
  static final Path NETNS_DIR = Path.of("/run/netns");
  static final String GUEST_INTERFACE = "host0";
  static final int MAX_HOSTS = 250;

  private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);
  private static final ReentrantLock ALLOCATION = new ReentrantLock();

  private final int subnet;
  private final Map<String, Integer> hosts = new LinkedHashMap<>();
  private final Map<String, String> state = new LinkedHashMap<>();
  private boolean destroyed;

  private FleetNetwork(int subnet) {
    this.subnet = subnet;
  }

  /** The run's name and the prefix of everything it creates, e.g. {@code bftf17}. */
  String runName() {
    return PREFIX + subnet;
  }

  int subnet() {
    return subnet;
  }

  String cidr() {
    return "10.200." + subnet + ".0/24";
  }

  /** The machine's own address on the test network, where the apt repository listens. */
  String gateway() {
    return "10.200." + subnet + ".1";
  }

  String hubNamespace() {
    return runName() + "_hub";
  }

  String hostNamespace(String host) {
    return runName() + "-" + host;
  }

  Path namespacePath(String namespace) {
    return NETNS_DIR.resolve(namespace);
  }

  /** Everything of this run in the machine's namespace: the uplink interface. */
  String uplink() {
    return runName();
  }

  Path stateFile() {
    return STATE_DIR.resolve(runName() + ".state");
  }

  /**
   * Removes what dead runs left, picks a free subnet, claims it with a state file naming this JVM,
   * and creates the hub and uplink.
   */
  static FleetNetwork create(Path projectRoot) throws IOException {
    Exec.Result stale = Exec.run(Duration.ofMinutes(2), "bash",
        projectRoot.resolve("scripts/testfleet/cleanup.sh").toString(), "--stale");
    if (!stale.stderr().isBlank()) {
      System.err.print(stale.stderr());
    }
    stale.orThrow();
    FleetNetwork network = claim();
    try {
      network.createHub();
    } catch (IOException | RuntimeException e) {
      network.destroy();
      throw e;
    }
    return network;
  }

  private static FleetNetwork claim() throws IOException {
    Files.createDirectories(STATE_DIR);
    ALLOCATION.lock();
    try (FileChannel channel = FileChannel.open(STATE_DIR.resolve("allocate.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock(); // between JVMs; released when the channel closes
      Set<Integer> taken = new HashSet<>();
      Pattern ours = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)(?:[-_.].*)?");
      for (Path dir : List.of(STATE_DIR, NETNS_DIR, Path.of("/sys/class/net"))) {
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> entries = Files.list(dir)) {
          entries.map(p -> ours.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .forEach(m -> taken.add(Integer.parseInt(m.group(1))));
        }
      }
      List<String> prefixes = new ArrayList<>();
      prefixes.addAll(firstColumns(Exec.run(IP_TIMEOUT, "ip", "-4", "-o", "addr", "show").orThrow()
          .stdout(), 3));
      prefixes.addAll(firstColumns(Exec.run(IP_TIMEOUT, "ip", "-4", "route", "show", "table", "all")
          .orThrow().stdout(), 0));
      int start = 1 + ThreadLocalRandom.current().nextInt(254);
      OptionalInt chosen = chooseSubnet(taken, prefixes, start);
      if (chosen.isEmpty()) {
        throw new IOException("no free 10.200.N.0/24 for a test fleet: all are taken by addresses,"
            + " routes or other runs (see scripts/testfleet/cleanup.sh --list)");
      }
      FleetNetwork network = new FleetNetwork(chosen.getAsInt());
      network.state.put("owner_pid", Long.toString(ProcessHandle.current().pid()));
      network.state.put("owner_start", ownStartTime());
      network.state.put("created", Instant.now().toString());
      network.state.put("keep", "false");
      network.writeState();
      return network;
    } finally {
      ALLOCATION.unlock();
    }
  }

  /**
   * The first N from {@code start} (wrapping within 1..254) that no other run holds and whose
   * 10.200.N.0/24 overlaps none of the machine's addresses and routes.
   */
  static OptionalInt chooseSubnet(Set<Integer> taken, List<String> prefixes, int start) {
    for (int i = 0; i < 254; i++) {
      int n = 1 + Math.floorMod(start - 1 + i, 254);
      if (taken.contains(n)) {
        continue;
      }
      String candidate = "10.200." + n + ".0/24";
      if (prefixes.stream().noneMatch(p -> overlaps(p, candidate))) {
        return OptionalInt.of(n);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether two IPv4 prefixes ({@code a.b.c.d/len}, a bare address or {@code default}) share addresses. */
  static boolean overlaps(String a, String b) {
    long[] x = parsePrefix(a);
    long[] y = parsePrefix(b);
    if (x == null || y == null) {
      return false;
    }
    int length = (int) Math.min(x[1], y[1]);
    long mask = length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
    return (x[0] & mask) == (y[0] & mask);
  }

  private static long[] parsePrefix(String text) {
    if (text.equals("default")) {
      return null; // a default route is how the machine reaches everything; it claims nothing here
    }
    String[] parts = text.split("/");
    String[] octets = parts[0].split("\\.");
    if (octets.length != 4) {
      return null;
    }
    long address = 0;
    try {
      for (String octet : octets) {
        int value = Integer.parseInt(octet);
        if (value < 0 || value > 255) {
          return null;
        }
        address = (address << 8) | value;
      }
      int length = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
      return length < 0 || length > 32 ? null : new long[] {address, length};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Column {@code index} of every line; route lines may start with a type such as {@code local}. */
  private static List<String> firstColumns(String text, int index) {
    List<String> columns = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length <= index || fields[0].isEmpty()) {
        continue;
      }
      String field = fields[index];
      if (index == 0 && Set.of("local", "broadcast", "unicast", "blackhole", "unreachable",
          "prohibit", "throw", "multicast", "anycast").contains(field) && fields.length > 1) {
        field = fields[1];
      }
      columns.add(field);
    }
    return columns;
  }

  private void createHub() throws IOException {
    String hub = hubNamespace();
    ip("netns", "add", hub);
    disableIpv6In(hub);
    ip("-n", hub, "link", "set", "lo", "up");
    ip("-n", hub, "link", "add", "br0", "type", "bridge");
    ip("-n", hub, "link", "set", "br0", "up");
    ip("link", "add", uplink(), "type", "veth", "peer", "name", "uplink", "netns", hub);
    writeSysctl("net/ipv6/conf/" + uplink() + "/disable_ipv6", "1");
    writeSysctl("net/ipv4/conf/" + uplink() + "/forwarding", "0");
    ip("addr", "add", gateway() + "/24", "dev", uplink());
    ip("link", "set", uplink(), "up");
    ip("-n", hub, "link", "set", "uplink", "master", "br0");
    ip("-n", hub, "link", "set", "uplink", "up");
  }

  /** Creates the host's namespace, wired to the hub, and returns its address (no default route). */
  String addHost(String host) throws IOException {
    if (hosts.containsKey(host)) {
      throw new IllegalArgumentException("two hosts named " + host);
    }
    if (hosts.size() >= MAX_HOSTS) {
      throw new IllegalArgumentException("a test fleet has at most " + MAX_HOSTS + " hosts");
    }
    int index = hosts.size();
    hosts.put(host, index);
    String namespace = hostNamespace(host);
    String address = "10.200." + subnet + "." + (index + 2);
    ip("netns", "add", namespace);
    disableIpv6In(namespace);
    ip("-n", namespace, "link", "set", "lo", "up");
    ip("-n", namespace, "link", "add", GUEST_INTERFACE, "type", "veth",
        "peer", "name", "h" + index, "netns", hubNamespace());
    ip("-n", namespace, "addr", "add", address + "/24", "dev", GUEST_INTERFACE);
    ip("-n", namespace, "link", "set", GUEST_INTERFACE, "up");
    ip("-n", hubNamespace(), "link", "set", "h" + index, "master", "br0");
    ip("-n", hubNamespace(), "link", "set", "h" + index, "up");
    return address;
  }

  /** Adds or replaces a line of the state file (e.g. the PIDs {@code cleanup.sh} may stop). */
  void record(String key, String value) throws IOException {
    state.put(key, value);
    writeState();
  }

  /** Deletes the uplink, the namespaces and the state file; what is already gone is skipped. */
  void destroy() {
    if (destroyed) {
      return;
    }
    destroyed = true;
    List<String> problems = new ArrayList<>();
    if (Files.exists(Path.of("/sys/class/net", uplink()))) {
      quietly(problems, "link", "del", uplink());
    }
    List<String> namespaces = new ArrayList<>();
    hosts.keySet().forEach(h -> namespaces.add(hostNamespace(h)));
    namespaces.add(hubNamespace());
    for (String namespace : namespaces) {
      if (Files.exists(namespacePath(namespace))) {
        quietly(problems, "netns", "del", namespace);
      }
    }
    try {
      Files.deleteIfExists(stateFile());
    } catch (IOException e) {
      problems.add(e.toString());
    }
    if (!problems.isEmpty()) {
      System.err.println("testfleet: tearing down " + runName() + ": " + String.join("; ", problems));
    }
  }

  /** Names of this run's namespaces and interfaces that still exist on the machine. */
  List<String> leftovers() throws IOException {
    List<String> found = new ArrayList<>();
    Pattern ours = Pattern.compile(Pattern.quote(runName()) + "(?:[-_].*)?");
    for (Path dir : List.of(NETNS_DIR, Path.of("/sys/class/net"))) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> entries = Files.list(dir)) {
          entries.map(p -> p.getFileName().toString()).filter(n -> ours.matcher(n).matches())
              .forEach(n -> found.add(dir.resolve(n).toString()));
        }
      }
    }
    if (Files.exists(stateFile())) {
      found.add(stateFile().toString());
    }
    return found;
  }

  private void quietly(List<String> problems, String... args) {
    try {
      ip(args);
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
  }

  private void writeState() throws IOException {
    StringBuilder text =
        new StringBuilder("# a basilica test fleet; scripts/testfleet/cleanup.sh reads this\n");
    state.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path temporary = STATE_DIR.resolve("." + runName() + ".state.tmp");
    Files.writeString(temporary, text, StandardCharsets.UTF_8);
    Files.move(temporary, stateFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void disableIpv6In(String namespace) throws IOException {
    Exec.run(IP_TIMEOUT, "ip", "netns", "exec", namespace, "sysctl", "-q", "-e", "-w",
        "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1").orThrow();
  }

  private static void writeSysctl(String key, String value) throws IOException {
    Path file = Path.of("/proc/sys", key);
    if (Files.exists(file)) {
      Files.writeString(file, value);
    }
  }

  private static void ip(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Exec.run(IP_TIMEOUT, command).orThrow();
  }

  /** Field 22 of /proc/self/stat: with the PID, it tells this JVM from a later process with its PID. */
  static String ownStartTime() {
    return startTime(ProcessHandle.current().pid());
  }

  static String startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return fields[19];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
