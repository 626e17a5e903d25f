package dev.basilica.importer;

import dev.basilica.importer.ShellEvaluator.Key;
import dev.basilica.importer.ShellEvaluator.Unresolved;
import dev.basilica.importer.YamlTree.Node;
import dev.basilica.model.EnvironmentSchema;
import dev.basilica.model.DisplayText;
import dev.basilica.model.Format;
import dev.basilica.model.SchemaNode;
import dev.basilica.model.Tier;
import dev.basilica.plan.ServiceKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Converts an environment file of the old bash provisioning scripts ({@code scripts/provision/environments/*.conf},
 * plain {@code KEY=value} bash) and optionally a {@code servers.conf} ({@code VALIDATOR=user@host:port}) into
 * an environment model, and says which keys it could not carry over and why.
 *
 * <p>The files are parsed ({@link ConfParser}) and evaluated without running anything ({@link ShellEvaluator}).
 * Every value is checked against {@link EnvironmentSchema} before it is written, so the model holds only
 * what the schema accepts. Secrets are never copied: {@code MINER_JWT_SECRET} becomes a reference to the
 * environment variable of that name, and values of secret-looking keys are never shown.
 */
public final class ConfImporter {

    /**
     * {@code name}: the environment name; {@code variables}: values of variables the files use but do not
     * set (as the operator's shell would have provided them); {@code minerHotkeySs58}: the miner hotkey's
     * public address, which no upstream file records (null when unknown).
     */
    public record Options(String name, Map<String, String> variables, String minerHotkeySs58) {
        public Options {
            variables = Map.copyOf(variables);
        }
    }

    /** The services the files configure, validator first (the order of the imported hosts). */
    private static final List<String> ROLES = ServiceKind.ids(ServiceKind.stopOrder());
    private static final Pattern SECRET_KEY = Pattern.compile(
            ".*(SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|PRIVATE|CREDENTIAL|MNEMONIC|SEED|API_KEY|ACCESS_KEY).*|.*_KEY");
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "(?i)(^|.*[._-])your([._-].*|$)|<.*>|.*change[._-]?me.*|.*replace[._-]?me.*|.*placeholder.*");
    private static final Pattern LOGIN = Pattern.compile("(?:([^@\\s]+)@)?([^@:\\s\\[\\]]+|\\[[0-9A-Fa-f:.]+\\])(?::([0-9]+))?");
    private static final Pattern MEMORY = Pattern.compile("(?i)([0-9]+(?:\\.[0-9]+)?)\\s*([kmgtp]?)(i?b)?");

    /** Why a key has no place in the model, for keys without a mapping of their own; the first match wins. */
    private static final List<Map.Entry<Pattern, String>> REASONS = List.of(
            reason("JWT_SECRET", "read by nothing upstream (the miner's secret was MINER_JWT_SECRET); the model's is "
                    + "services.miner.jwt_secret"),
            reason("(VALIDATOR|MINER)_COLDKEY_NAME", "the services load only the hotkey; the coldkey stays with the operator"),
            reason(".*TLS.*", "the model has no TLS settings; the miner's mutual TLS is services.miner.auth_method: mutual_tls"),
            reason("VERIFY_SIGNATURES|ENABLE_AUTH", "validators authenticate to the miner as services.miner.auth_method says"),
            reason("VALIDATOR_MIN_STAKE", "the validator has no minimum-stake setting (configure.sh wrote it; no config field reads it)"),
            reason("EXECUTOR_(VALIDATOR_ACCESS|MAX_SESSIONS|SESSION_TIMEOUT)", "the executor's config has no such setting (it "
                    + "ignored the key); validator SSH sessions are services.validator.ssh_sessions"),
            reason("EXECUTOR_HEALTH_PORT", "the executor has no separate health port in the model"),
            reason("EXECUTOR_CONFIG", "an inline executor entry of the miner's config; in the model every executor is a host "
                    + "with the executor role"),
            reason("GRPC_PORT_OFFSET", "the model has no axon-to-gRPC offset: the miner's gRPC port is its axon port "
                    + "(services.miner.grpc_port)"),
            reason("LOG_FORMAT", "the model has no log format setting (upstream the key had no runtime effect)"),
            reason("METRICS_ENABLED|PROMETHEUS_.*|GRAFANA_.*", "monitoring is the model's monitoring section (the bash scripts "
                    + "never read this key)"),
            reason(".*_ALLOWED_PORTS", "firewall rules follow from the model's ports and firewall.*_sources"),
            reason("(DEPLOY|CONFIG|DATA|LOG|BINARY|INSTALL)_DIR|BASILICA_(USER|GROUP)", "install paths and service users are "
                    + "fixed by basilica (the bash scripts ignored this key too)"),
            reason("DB_.*|DATABASE_.*", "the services keep their own SQLite databases; the model has no database settings"),
            reason("HEALTH_CHECK_.*|BACKUP_.*|VALIDATION_.*|MAX_VALIDATION_RETRIES|MIN_DISK_SPACE_GB|MAX_.*_USAGE"
                    + "|MAX_FILE_DESCRIPTORS|MAX_PROCESSES|SSH_CONNECT_TIMEOUT|GRPC_TIMEOUT|HTTP_TIMEOUT",
                    "an operational limit the bash scripts never read; no counterpart in the model"),
            reason("SSH_.*", "the operator's SSH key is hosts[].ssh.key; basilica creates no SSH keys"),
            reason("SKIP_REGISTRATION", "registration on the subnet is done with btcli, outside basilica"),
            reason("DEBUG_MODE|ENABLE_.*|.*_ENABLED|.*_MODE", "a feature flag with no counterpart in the model"),
            reason(".*", "no counterpart in the model"));

    private record Ordered(int file, int line, int seq, Finding finding) {}

    /** A value taken from a key. */
    private record Mapped<T>(T value, Key key) {}

    /** One source of a host fact: a key's value (null when not evaluated) and how to name it. */
    private record Candidate(String value, Key key, String label) {}

    /**
     * A host fact: its value and the key it came from; or, when it is unknown, the key that was not
     * evaluated and why (key and label null when the files say nothing).
     */
    private record Fact(String value, String label, Key key, String unknown) {
        /** What makes two roles' facts the same: the value, else the text as written, else the default. */
        String identity(String byDefault) {
            if (value != null) return value;
            return key != null ? "?" + key.written() : byDefault;
        }
    }

    private record RoleHost(String role, Fact address, Fact port, Fact user) {
        /** Roles with the same address, SSH port and user share one host. */
        String identity() {
            return address.identity("") + "|" + port.identity("22") + "|" + user.identity("?");
        }
    }

    private final ConfFile conf;
    private final ConfFile servers;
    private final Options options;
    private final Map<String, Key> confKeys;
    private final Map<String, Key> serverKeys;
    private final Map<String, Key> varKeys = new LinkedHashMap<>();
    private final Set<Key> handled = new HashSet<>();
    private final List<Ordered> unmapped = new ArrayList<>();
    private final List<Ordered> attention = new ArrayList<>();
    private int todos;
    private Tier tier;

    private ConfImporter(ConfFile conf, ConfFile servers, Options options) {
        this.conf = conf;
        this.servers = servers;
        this.options = options;
        this.confKeys = new ShellEvaluator(options.variables()).evaluate(conf);
        this.serverKeys = servers == null ? Map.of() : new ShellEvaluator(options.variables()).evaluate(servers);
        new TreeMap<>(options.variables()).forEach((k, v) -> varKeys.put(k,
                new Key(k, "--var", 0, v, new ShellEvaluator.Value(v, List.of()), false)));
    }

    /** Converts {@code conf} (and {@code servers}, which may be null) into a model. */
    public static ImportResult convert(ConfFile conf, ConfFile servers, Options options) {
        if (options.minerHotkeySs58() != null && !Format.SS58.accepts(options.minerHotkeySs58())) {
            throw new IllegalArgumentException("'" + options.minerHotkeySs58() + "' is not " + Format.SS58.description());
        }
        if (!Format.NAME.accepts(options.name())) {
            throw new IllegalArgumentException("'" + options.name() + "' is not " + Format.NAME.description());
        }
        return new ConfImporter(conf, servers, options).run();
    }

    /** Whether a key's value must never be shown or copied. */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key.toUpperCase(Locale.ROOT)).matches();
    }

    private ImportResult run() {
        Node doc = Node.root();
        doc.put("apiVersion", EnvironmentSchema.API_VERSION, null);
        doc.put("kind", EnvironmentSchema.KIND, null);
        doc.put("name", options.name(), null);
        Node tierNode = doc.put("tier", "development", null);
        Node chain = doc.map("chain");
        String network = chain(chain);
        tier(doc, tierNode, network);

        List<RoleHost> roles = new ArrayList<>();
        for (String role : ROLES) {
            RoleHost h = roleHost(role);
            if (h != null) roles.add(h);
        }
        Node hostsNode = doc.list("hosts");
        Map<String, List<RoleHost>> groups = new LinkedHashMap<>();
        for (RoleHost h : roles) groups.computeIfAbsent(h.identity(), k -> new ArrayList<>()).add(h);
        Map<String, Node> hostByRole = new LinkedHashMap<>();
        for (List<RoleHost> group : groups.values()) {
            Node item = host(hostsNode.item(), group, hostsNode.children.size() - 1);
            group.forEach(h -> hostByRole.put(h.role(), item));
        }
        if (groups.isEmpty()) {
            doc.children.remove(hostsNode);
            todos++;
            Node empty = newScalar("hosts", "[]", "TODO: the files name no VALIDATOR_HOST, MINER_HOST or EXECUTOR_HOST; list the machines");
            empty.gap = true;
            doc.children.add(doc.children.indexOf(chain) + 1, empty);
            attention(null, "the files name no hosts (VALIDATOR_HOST, MINER_HOST, EXECUTOR_HOST or servers.conf lines); "
                    + "list them under hosts");
        }
        minerPublicAddress(hostByRole);

        if (Boolean.TRUE.equals(defaultOf("monitoring.enabled"))) {
            doc.map("monitoring")
                    .note("The bash scripts deployed no monitoring; enable it once a host has the monitoring role.")
                    .put("enabled", "false", null);
        }
        wallets(doc.map("wallets"), hostByRole.keySet());
        services(doc.map("services"), hostByRole.keySet());

        for (Key k : confKeys.values()) leftover(k);
        for (Key k : serverKeys.values()) leftover(k);

        StringBuilder out = new StringBuilder();
        out.append("# yaml-language-server: $schema=../schema/environment.schema.json\n#\n");
        out.append("# Imported from ").append(conf.name());
        if (servers != null) out.append(" and ").append(servers.name());
        out.append(" by basilica env import.\n");
        out.append("# Check every value against the hosts, then run: basilica env check --env ").append(options.name()).append('\n');
        if (todos > 0) {
            out.append("# Not valid yet: fill in the ").append(todos).append(" TODO line").append(todos == 1 ? "" : "s")
                    .append(" below first.\n");
        }
        out.append("# Reference of every field: docs/model.md.\n");
        YamlTree.render(doc, out);
        notCarriedOver(out);
        return new ImportResult(out.toString(), options.name(), tier, groups.size(), findings(unmapped), findings(attention), todos);
    }

    // ---- chain and tier ----

    private String chain(Node chain) {
        Key envKey = key("ENVIRONMENT");
        boolean testnet = envKey != null && envKey.value().resolved() && envKey.value().text().strip().equalsIgnoreCase("testnet");
        Mapped<String> network = first("chain.network", k -> enumValue(k, "chain.network"), "BITTENSOR_NETWORK");
        String net;
        if (network != null) {
            net = network.value();
            chain.put("network", net, network.key().name());
        } else if (testnet) {
            net = "test";
            chain.put("network", net, "ENVIRONMENT=testnet");
        } else {
            net = "finney";
            chain.put("network", net, "BITTENSOR_NETWORK is not set: the bash scripts' default");
            attention(null, "BITTENSOR_NETWORK is not set; chain.network is finney, the bash scripts' default: check it");
        }
        Mapped<Long> netuid = first("chain.netuid", k -> integer(k, "chain.netuid"), "BITTENSOR_NETUID");
        if (netuid != null) {
            chain.put("netuid", netuid.value().toString(), netuid.key().name());
            long n = netuid.value();
            if (n == 39 && net.equals("test") || n == 387 && net.equals("finney")) {
                attention(netuid.key(), "Basilica is subnet 39 on finney and 387 on the test network, but this file pairs "
                        + n + " with " + net + "; check chain.netuid");
            }
        } else {
            todo(chain, "netuid", "<subnet id>", "BITTENSOR_NETUID is not set or not usable (Basilica: 39 on finney, 387 on test)");
            attention(key("BITTENSOR_NETUID"), "no usable subnet id; fill in chain.netuid");
        }
        Mapped<String> endpoint = first("chain.endpoint", k -> string(k, "chain.endpoint"), "BITTENSOR_ENDPOINT",
                "BITTENSOR_CHAIN_ENDPOINT");
        if (endpoint != null) {
            chain.put("endpoint", YamlTree.scalar(endpoint.value()), endpoint.key().name());
            placeholder(endpoint, "chain.endpoint");
        }
        return net;
    }

    private void tier(Node doc, Node tierNode, String network) {
        Key envKey = key("ENVIRONMENT");
        String env = envKey == null ? null : text(envKey, "tier");
        String comment;
        if (env != null) env = env.strip().toLowerCase(Locale.ROOT);
        Tier byEnv = tierNamed(env);
        if (byEnv != null) {
            tier = byEnv;
            comment = "ENVIRONMENT";
        } else if ("testnet".equals(env)) {
            tier = Tier.STAGING;
            comment = "ENVIRONMENT=testnet: the staging tier on the test network";
        } else {
            Tier byName = tierNamed(options.name());
            if (byName != null) {
                tier = byName;
                comment = "from the environment name";
            } else {
                tier = switch (network) {
                    case "finney" -> Tier.PRODUCTION;
                    case "test" -> Tier.STAGING;
                    default -> Tier.DEVELOPMENT;
                };
                comment = "from chain.network " + network;
            }
            if (envKey != null && env != null) {
                unmapped(envKey, "'" + env + "' is not development, staging, production or testnet");
            }
            attention(envKey, "no tier in the file; chose " + tier.id() + " " + comment + ": check it, many defaults follow "
                    + "the tier");
        }
        doc.children.set(doc.children.indexOf(tierNode), newScalar("tier", tier.id(), comment));
    }

    private static Tier tierNamed(String s) {
        for (Tier t : Tier.values()) {
            if (t.id().equals(s)) return t;
        }
        return null;
    }

    // ---- hosts ----

    /** What the files say about one role's host, or null when they name no host for it. */
    private RoleHost roleHost(String role) {
        String prefix = role.toUpperCase(Locale.ROOT);
        List<Candidate> address = new ArrayList<>();
        List<Candidate> port = new ArrayList<>();
        List<Candidate> user = new ArrayList<>();
        addCandidate(address, key(prefix + "_HOST"), prefix + "_HOST", "hosts[].address");
        addCandidate(port, key(prefix + "_PORT"), prefix + "_PORT", "hosts[].ssh.port");
        addCandidate(user, key(prefix + "_USER"), prefix + "_USER", "hosts[].ssh.user");
        loginCandidates(key(prefix), prefix, address, port, user);
        if (servers != null) {
            loginCandidates(serverKeys.get(prefix), prefix + " (" + servers.name() + ")", address, port, user);
        }
        if (address.isEmpty()) {
            for (Candidate c : port) unmapped(c.key(), "the files name no " + prefix + "_HOST, so there is no " + role + " host");
            for (Candidate c : user) unmapped(c.key(), "the files name no " + prefix + "_HOST, so there is no " + role + " host");
            return null;
        }
        return new RoleHost(role, choose(address, "hosts[].address"), choose(port, "hosts[].ssh.port"), choose(user, "hosts[].ssh.user"));
    }

    private void addCandidate(List<Candidate> to, Key k, String label, String path) {
        if (k == null) return;
        handled.add(k);
        if (!k.value().resolved()) {
            to.add(new Candidate(null, k, label));
            return;
        }
        String v = k.value().text().strip();
        if (v.isEmpty()) {
            unmapped(k, "empty");
            return;
        }
        SchemaNode type = node(path);
        Object typed = v;
        if (type.type() == SchemaNode.Type.INTEGER) {
            typed = parseLong(v);
            if (typed == null) {
                unmapped(k, "not a whole number (" + path + ": " + type.describe() + ")");
                return;
            }
            v = typed.toString();
        }
        String problem = problem(type, typed);
        if (problem != null) {
            unmapped(k, problem + " (" + path + ")");
            return;
        }
        to.add(new Candidate(v, k, label));
    }

    /** {@code ROLE=user@host:port} lines: the format of servers.conf, also found in some .conf files. */
    private void loginCandidates(Key k, String label, List<Candidate> address, List<Candidate> port, List<Candidate> user) {
        if (k == null) return;
        handled.add(k);
        if (!k.value().resolved()) {
            address.add(new Candidate(null, k, label));
            return;
        }
        Matcher m = LOGIN.matcher(k.value().text().strip());
        if (!m.matches()) {
            unmapped(k, "not of the form user@host:port");
            return;
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        List<String> problems = new ArrayList<>();
        if (problem(node("hosts[].address"), host) != null) problems.add(DisplayText.quoted(host) + " is not " + Format.HOST.description());
        if (m.group(3) != null && problem(node("hosts[].ssh.port"), parseLong(m.group(3))) != null) {
            problems.add("port " + m.group(3) + " is outside 1-65535");
        }
        if (m.group(1) != null && !Format.USER.accepts(m.group(1))) problems.add(DisplayText.quoted(m.group(1)) + " is not " + Format.USER.description());
        if (!problems.isEmpty()) {
            unmapped(k, String.join("; ", problems));
            return;
        }
        address.add(new Candidate(host, k, label));
        if (m.group(3) != null) port.add(new Candidate(Long.toString(parseLong(m.group(3))), k, label));
        if (m.group(1) != null) user.add(new Candidate(m.group(1), k, label));
    }

    /** The first evaluated candidate wins; the others are reported where they disagree or were not evaluated. */
    private Fact choose(List<Candidate> candidates, String path) {
        Candidate win = candidates.stream().filter(c -> c.value() != null).findFirst().orElse(null);
        for (Candidate c : candidates) {
            if (c == win) continue;
            if (c.value() == null && win != null) {
                attention(c.key(), "not evaluated: " + unresolved(c.key()) + "; used " + win.value() + " from " + win.label());
            } else if (c.value() != null && !c.value().equals(win.value())) {
                attention(c.key(), c.label() + " says " + c.value() + " but " + win.label() + " says " + win.value() + "; used "
                        + win.value() + " (" + path + ")");
            }
        }
        if (win != null) {
            placeholder(new Mapped<>(win.value(), win.key()), path);
            return new Fact(win.value(), win.label(), win.key(), null);
        }
        if (candidates.isEmpty()) return new Fact(null, null, null, null);
        Candidate c = candidates.get(0);
        return new Fact(null, c.label(), c.key(), c.label() + " is " + c.key().written() + ", which env import cannot evaluate ("
                + c.key().value().unresolved().get(0).source() + ")");
    }

    private Node host(Node item, List<RoleHost> group, int index) {
        RoleHost h = group.get(0);
        List<String> roleNames = group.stream().map(RoleHost::role).toList();
        item.put("name", String.join("-", roleNames), null);
        String path = "hosts[" + index + "]";
        if (h.address().value() != null) {
            item.put("address", YamlTree.scalar(h.address().value()), labels(group, g -> g.address().label()));
        } else {
            todo(item, "address", "<IP address or DNS name>", h.address().unknown());
            group.forEach(g -> attention(g.address().key(), "not evaluated: " + unresolved(g.address().key()) + "; fill in "
                    + path + ".address"));
        }
        item.put("roles", "[" + String.join(", ", roleNames) + "]", null);
        Node ssh = item.map("ssh");
        if (h.user().value() != null) {
            ssh.put("user", h.user().value(), labels(group, g -> g.user().label()));
        } else if (h.user().unknown() != null) {
            todo(ssh, "user", "<SSH user>", h.user().unknown());
            group.forEach(g -> attention(g.user().key(), "not evaluated: " + unresolved(g.user().key()) + "; fill in " + path
                    + ".ssh.user"));
        } else {
            todo(ssh, "user", "<SSH user>", "the files set no " + h.role().toUpperCase(Locale.ROOT) + "_USER");
            attention(null, "no SSH user for host '" + String.join("-", roleNames) + "'; fill in " + path + ".ssh.user");
        }
        if (h.port().value() != null) {
            ssh.put("port", h.port().value(), labels(group, g -> g.port().label()));
        } else if (h.port().unknown() != null) {
            todo(ssh, "port", "<SSH port>", h.port().unknown());
            group.forEach(g -> attention(g.port().key(), "not evaluated: " + unresolved(g.port().key()) + "; fill in " + path
                    + ".ssh.port"));
        } else if (h.user().value() == null) {
            // Keeps the ssh mapping open, so the model's error names the missing user rather than all of ssh.
            ssh.put("port", "22", "the default: the files set no " + h.role().toUpperCase(Locale.ROOT) + "_PORT");
        }
        if (roleNames.contains("executor")) {
            item.note("The .conf files do not record GPUs; list this executor's, e.g. gpus: [{ model: H100, count: 8 }]");
        }
        return item;
    }

    private static String labels(List<RoleHost> group, Function<RoleHost, String> label) {
        return group.stream().map(label).distinct().collect(Collectors.joining(", "));
    }

    private void minerPublicAddress(Map<String, Node> hostByRole) {
        Key k = key("MINER_EXTERNAL_IP");
        if (k == null) return;
        Node miner = hostByRole.get("miner");
        if (miner == null) {
            unmapped(k, "the files name no miner host");
            return;
        }
        String v = text(k, "the miner's public_address");
        if (v == null) return;
        v = v.strip();
        String problem = problem(node("hosts[].public_address"), v);
        if (problem != null) {
            unmapped(k, problem + " (hosts[].public_address)");
            return;
        }
        Node address = miner.find("address");
        if (address != null && !address.todo && address.scalar.equals(YamlTree.scalar(v))) return; // the default already
        Node publicAddress = newScalar("public_address", YamlTree.scalar(v), k.name());
        miner.children.add(miner.children.indexOf(miner.find("roles")), publicAddress);
        placeholder(new Mapped<>(v, k), "the miner's public_address");
    }

    // ---- wallets ----

    private void wallets(Node wallets, Set<String> roles) {
        for (String role : List.of("validator", "miner")) {
            String prefix = role.toUpperCase(Locale.ROOT);
            Mapped<String> name = first("wallets." + role + ".name", k -> string(k, "wallets." + role + ".name"), prefix + "_WALLET_NAME");
            Mapped<String> hotkey = first("wallets." + role + ".hotkey", k -> string(k, "wallets." + role + ".hotkey"),
                    prefix + "_HOTKEY_NAME");
            String ss58 = role.equals("miner") ? minerHotkey() : null;
            boolean needsSs58 = role.equals("miner") && roles.contains("miner") && roles.contains("executor");
            if (name == null && hotkey == null && ss58 == null && !roles.contains(role)) continue;
            Node w = wallets.map(role);
            if (name != null) {
                w.put("name", YamlTree.scalar(name.value()), name.key().name());
                placeholder(name, "wallets." + role + ".name");
            } else {
                todo(w, "name", "<wallet name>", prefix + "_WALLET_NAME is not set; the " + role + "'s wallet under ~/.bittensor/wallets");
                attention(key(prefix + "_WALLET_NAME"), "no wallet name for the " + role + "; fill in wallets." + role + ".name");
            }
            if (hotkey != null) {
                w.put("hotkey", YamlTree.scalar(hotkey.value()), hotkey.key().name());
                placeholder(hotkey, "wallets." + role + ".hotkey");
            }
            if (ss58 != null) {
                w.put("hotkey_ss58", ss58, options.minerHotkeySs58() != null ? "--miner-hotkey-ss58" : "MINER_HOTKEY");
            } else if (needsSs58) {
                todo(w, "hotkey_ss58", "<SS58 address of the miner hotkey>", "executors accept requests from this hotkey "
                        + "alone; the .conf files do not record it");
                attention(null, "the miner hotkey's public SS58 address is in no .conf file; fill in wallets.miner.hotkey_ss58 "
                        + "or pass --miner-hotkey-ss58 ADDRESS");
            }
        }
    }

    /** The miner hotkey's SS58 address: --miner-hotkey-ss58, else MINER_HOTKEY when it is one. */
    private String minerHotkey() {
        Key k = key("MINER_HOTKEY");
        String given = options.minerHotkeySs58();
        if (k == null) return given;
        String v = text(k, "wallets.miner.hotkey_ss58");
        if (v == null) return given;
        v = v.strip();
        if (!Format.SS58.accepts(v)) {
            unmapped(k, "not an SS58 address (the executors' managing_miner_hotkey must be the miner hotkey's public "
                    + "address); set wallets.miner.hotkey_ss58");
            return given;
        }
        if (given != null && !given.equals(v)) {
            unmapped(k, "differs from --miner-hotkey-ss58, which wallets.miner.hotkey_ss58 uses");
            return given;
        }
        return v;
    }

    // ---- services ----

    private void services(Node services, Set<String> roles) {
        Mapped<String> logLevel = first("services.validator.log_level", k -> logLevel(k), "LOG_LEVEL");
        if (logLevel != null && roles.isEmpty()) unmapped(logLevel.key(), "the files name no service hosts");

        Node v = services.map("validator");
        disabledUnlessPresent(v, "validator", roles);
        put(v, "api_port", first("services.validator.api_port", k -> integer(k, "services.validator.api_port"),
                "VALIDATOR_API_PORT", "VALIDATOR_HTTP_PORT"));
        put(v, "metrics_port", first("services.validator.metrics_port", k -> integer(k, "services.validator.metrics_port"),
                "VALIDATOR_METRICS_PORT"));
        if (roles.contains("validator")) put(v, "log_level", logLevel);
        Node verification = v.map("verification");
        String vp = "services.validator.verification.";
        put(verification, "interval_secs", first(vp + "interval_secs", k -> integer(k, vp + "interval_secs"),
                "VALIDATOR_VERIFY_INTERVAL"));
        put(verification, "challenge_timeout_secs", first(vp + "challenge_timeout_secs",
                k -> integer(k, vp + "challenge_timeout_secs"), "VALIDATOR_CHALLENGE_TIMEOUT"));
        put(verification, "min_interval_secs", first(vp + "min_interval_secs", k -> integer(k, vp + "min_interval_secs"),
                "VALIDATOR_MIN_VERIFY_INTERVAL"));
        put(verification, "max_concurrent", first(vp + "max_concurrent", k -> integer(k, vp + "max_concurrent"),
                "VALIDATOR_MAX_CONCURRENT"));
        put(verification, "max_miners_per_round", first(vp + "max_miners_per_round", k -> integer(k, vp + "max_miners_per_round"),
                "VALIDATOR_MAX_MINERS"));
        put(verification, "min_score", first(vp + "min_score", k -> number(k, vp + "min_score"), "VALIDATOR_MIN_SCORE"));
        dropIfEmpty(v, verification);

        Node m = services.map("miner");
        disabledUnlessPresent(m, "miner", roles);
        Mapped<Long> grpc = first("services.miner.grpc_port", k -> integer(k, "services.miner.grpc_port"),
                "MINER_GRPC_PORT", "MINER_HTTP_PORT");
        put(m, "grpc_port", grpc);
        axonPort(grpc);
        put(m, "metrics_port", first("services.miner.metrics_port", k -> integer(k, "services.miner.metrics_port"),
                "MINER_METRICS_PORT"));
        if (roles.contains("miner")) put(m, "log_level", logLevel);
        put(m, "max_sessions", first("services.miner.max_sessions", k -> integer(k, "services.miner.max_sessions"),
                "MINER_MAX_SESSIONS"));
        Node rate = m.map("rate_limit");
        put(rate, "requests_per_second", first("services.miner.rate_limit.requests_per_second",
                k -> integer(k, "services.miner.rate_limit.requests_per_second"), "MINER_RATE_LIMIT"));
        put(rate, "burst_capacity", first("services.miner.rate_limit.burst_capacity",
                k -> integer(k, "services.miner.rate_limit.burst_capacity"), "MINER_BURST_CAPACITY"));
        dropIfEmpty(m, rate);
        jwtSecret(m, roles.contains("miner"));

        Node e = services.map("executor");
        disabledUnlessPresent(e, "executor", roles);
        put(e, "grpc_port", first("services.executor.grpc_port", k -> integer(k, "services.executor.grpc_port"),
                "EXECUTOR_GRPC_PORT"));
        put(e, "metrics_port", first("services.executor.metrics_port", k -> integer(k, "services.executor.metrics_port"),
                "EXECUTOR_METRICS_PORT"));
        if (roles.contains("executor")) put(e, "log_level", logLevel);
        Node docker = e.map("docker");
        String dp = "services.executor.docker.";
        put(docker, "max_containers", first(dp + "max_containers", k -> integer(k, dp + "max_containers"), "EXECUTOR_MAX_CONTAINERS"));
        put(docker, "memory_gib", first(dp + "memory_gib", k -> memoryGib(k, dp + "memory_gib"), "EXECUTOR_MAX_MEMORY"));
        put(docker, "cpu_cores", first(dp + "cpu_cores", k -> number(k, dp + "cpu_cores"), "EXECUTOR_MAX_CPU"));
        dropIfEmpty(e, docker);

        for (Node s : List.copyOf(services.children)) dropIfEmpty(services, s);
    }

    private void disabledUnlessPresent(Node service, String role, Set<String> roles) {
        if (roles.contains(role)) return;
        String prefix = role.toUpperCase(Locale.ROOT);
        service.put("enabled", "false", "the files name no " + prefix + "_HOST");
        attention(null, "the files name no " + role + " host, so services." + role + ".enabled is false; add a host with the "
                + role + " role to run one");
    }

    private void axonPort(Mapped<Long> grpc) {
        Key k = key("MINER_AXON_PORT");
        if (k == null) return;
        Long axon = integer(k, "services.miner.grpc_port");
        if (axon == null) return;
        long effective = grpc != null ? grpc.value() : (Long) defaultOf("services.miner.grpc_port");
        if (axon != effective) {
            unmapped(k, "the model advertises services.miner.grpc_port (" + effective + ") as the axon port; a separate "
                    + "axon port cannot be expressed");
        }
    }

    private void jwtSecret(Node miner, boolean minerPresent) {
        Key k = key("MINER_JWT_SECRET");
        if (!minerPresent) {
            if (k != null) unmapped(k, "the files name no miner host");
            return;
        }
        miner.put("jwt_secret", "{ env: MINER_JWT_SECRET }", null)
                .note("A reference, never the secret: export MINER_JWT_SECRET on the operator's machine.");
        if (k == null) {
            attention(null, "services.miner.jwt_secret reads the environment variable MINER_JWT_SECRET: export it on the "
                    + "operator's machine before provisioning");
            return;
        }
        handled.add(k);
        if (!k.value().resolved()) {
            attention(k, "not evaluated; services.miner.jwt_secret reads the environment variable MINER_JWT_SECRET: export it "
                    + "on the operator's machine before provisioning");
        } else if (k.value().text().isEmpty()) {
            attention(k, "empty (the bash scripts made a new random secret on every run); services.miner.jwt_secret reads the "
                    + "environment variable MINER_JWT_SECRET: export one on the operator's machine before provisioning");
        } else {
            attention(k, "the literal secret was dropped, not copied into the model; services.miner.jwt_secret reads the "
                    + "environment variable MINER_JWT_SECRET: export it on the operator's machine before provisioning");
        }
    }

    private static void put(Node to, String key, Mapped<?> m) {
        if (m != null) to.put(key, m.value().toString(), m.key().name());
    }

    private static void dropIfEmpty(Node parent, Node child) {
        if (child.children.isEmpty()) parent.children.remove(child);
    }

    // ---- values ----

    /** The first of {@code names} whose value is usable; the rest are reported where they disagree with it. */
    private <T> Mapped<T> first(String path, Function<Key, T> parse, String... names) {
        Mapped<T> chosen = null;
        for (String name : names) {
            Key k = key(name);
            if (k == null) continue;
            T v = parse.apply(k);
            handled.add(k);
            if (v == null) continue;
            if (chosen == null) {
                chosen = new Mapped<>(v, k);
            } else if (!same(chosen.value(), v)) {
                unmapped(k, "differs from " + chosen.key().name() + "=" + shown(chosen.key()) + ", which sets " + path
                        + "; the model has one value");
            }
        }
        return chosen;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        return a.equals(b);
    }

    /** The key's evaluated text, or null after reporting why there is none. */
    private String text(Key k, String target) {
        handled.add(k);
        if (k.value().resolved()) return k.value().text();
        unmapped(k, "not evaluated: " + unresolved(k) + "; left out of " + target);
        return null;
    }

    private Long integer(Key k, String path) {
        String t = text(k, path);
        if (t == null) return null;
        Long v = parseLong(t.strip());
        if (v == null) {
            unmapped(k, "not a whole number (" + path + ": " + node(path).describe() + ")");
            return null;
        }
        return checked(k, path, v) ? v : null;
    }

    private BigDecimal number(Key k, String path) {
        String t = text(k, path);
        if (t == null) return null;
        BigDecimal v;
        try {
            v = new BigDecimal(t.strip().replaceFirst("^\\+", ""));
        } catch (NumberFormatException e) {
            unmapped(k, "not a number (" + path + ": " + node(path).describe() + ")");
            return null;
        }
        return checked(k, path, v) ? v : null;
    }

    private String string(Key k, String path) {
        String t = text(k, path);
        if (t == null) return null;
        t = t.strip();
        if (t.isEmpty()) {
            unmapped(k, "empty");
            return null;
        }
        return checked(k, path, t) ? t : null;
    }

    private String enumValue(Key k, String path) {
        String t = text(k, path);
        if (t == null) return null;
        t = t.strip().toLowerCase(Locale.ROOT);
        return checked(k, path, t) ? t : null;
    }

    private String logLevel(Key k) {
        String t = text(k, "the services' log_level");
        if (t == null) return null;
        t = t.strip().toLowerCase(Locale.ROOT);
        if (t.equals("warning")) t = "warn";
        return checked(k, "services.validator.log_level", t) ? t : null;
    }

    /** Docker's memory notation ({@code 8g}, {@code 512m}, bytes without a unit) in whole GiB. */
    private Long memoryGib(Key k, String path) {
        String t = text(k, path);
        if (t == null) return null;
        Matcher m = MEMORY.matcher(t.strip());
        if (!m.matches()) {
            unmapped(k, "not a memory size such as 8g (" + path + ")");
            return null;
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        BigDecimal gib = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift)).divide(BigDecimal.valueOf(2).pow(30));
        if (gib.stripTrailingZeros().scale() > 0) {
            unmapped(k, "not a whole number of GiB (" + path + ")");
            return null;
        }
        long v = gib.longValueExact();
        return checked(k, path, v) ? v : null;
    }

    private boolean checked(Key k, String path, Object v) {
        String problem = problem(node(path), v);
        if (problem == null) return true;
        unmapped(k, problem + " (" + path + ")");
        return false;
    }

    private static Long parseLong(String s) {
        if (!s.matches("[+-]?[0-9]{1,18}")) return null;
        return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
    }

    /** Why the schema would reject {@code v} at {@code type}, or null. */
    private static String problem(SchemaNode type, Object v) {
        return switch (type.type()) {
            case INTEGER -> {
                long n = v instanceof Long l ? l : Long.MIN_VALUE;
                yield n < type.min() || n > type.max() ? v + " is outside " + type.min() + "-" + type.max() : null;
            }
            case NUMBER -> {
                double d = ((BigDecimal) v).doubleValue();
                yield d < type.numberMin() || d > type.numberMax() ? v + " is outside " + trim(type.numberMin())
                        + "-" + trim(type.numberMax()) : null;
            }
            case ENUM -> type.enumValues().contains(v) ? null : "'" + v + "' is not one of " + String.join(", ", type.enumValues());
            case STRING -> type.format().accepts((String) v) ? null : DisplayText.quoted((String) v) + " is not " + type.format().description();
            default -> throw new IllegalStateException("the importer writes no " + type.describe());
        };
    }

    private static SchemaNode node(String path) {
        SchemaNode n = EnvironmentSchema.root();
        for (String segment : path.split("\\.")) {
            boolean list = segment.endsWith("[]");
            String name = list ? segment.substring(0, segment.length() - 2) : segment;
            SchemaNode.Field f = n.fields().get(name);
            if (f == null) throw new IllegalStateException("the schema has no field " + path);
            n = list ? f.type().items() : f.type();
        }
        return n;
    }

    private Object defaultOf(String path) {
        int cut = path.lastIndexOf('.');
        SchemaNode parent = node(path.substring(0, cut));
        return parent.fields().get(path.substring(cut + 1)).defaultFor(tier);
    }

    private void placeholder(Mapped<String> m, String path) {
        if (PLACEHOLDER.matcher(m.value()).matches()) {
            attention(m.key(), "looks like a placeholder; replace it with the real value (" + path + ")");
        }
    }

    private void todo(Node in, String key, String placeholder, String why) {
        in.todo(key, placeholder, why);
        todos++;
    }

    private static Node newScalar(String key, String raw, String comment) {
        Node holder = Node.root();
        return holder.put(key, raw, comment);
    }

    // ---- keys and findings ----

    /** The key as the file sets it, else as --var gives it. */
    private Key key(String name) {
        Key k = confKeys.get(name);
        return k != null ? k : varKeys.get(name);
    }

    private void leftover(Key k) {
        if (handled.contains(k)) return;
        for (Map.Entry<Pattern, String> r : REASONS) {
            if (r.getKey().matcher(k.name()).matches()) {
                unmapped(k, (k.array() ? "a bash array; " : "") + r.getValue());
                return;
            }
        }
    }

    private String shown(Key k) {
        if (isSecretKey(k.name())) return "<hidden>";
        return k.value().resolved() ? k.value().text() : k.written();
    }

    private static String unresolved(Key k) {
        return k.value().unresolved().stream().map(Unresolved::describe).collect(Collectors.joining(", "));
    }

    private void unmapped(Key k, String reason) {
        handled.add(k);
        unmapped.add(ordered(k, reason));
    }

    private void attention(Key k, String message) {
        if (k != null) handled.add(k);
        attention.add(ordered(k, message));
    }

    private Ordered ordered(Key k, String message) {
        int seq = unmapped.size() + attention.size();
        if (k == null) return new Ordered(3, 0, seq, new Finding(null, null, null, message));
        int file = k.file().equals(conf.name()) && confKeys.containsValue(k) ? 0 : k.line() > 0 ? 1 : 2;
        String shown = isSecretKey(k.name()) ? null
                : k.value().resolved() ? Finding.quoted(k.value().text()) : k.written().replace("\n", "\\n");
        return new Ordered(file, k.line(), seq, new Finding(k.where(), k.name(), shown, message));
    }

    private static List<Finding> findings(List<Ordered> list) {
        return list.stream().sorted(Comparator.comparingInt(Ordered::file).thenComparingInt(Ordered::line)
                .thenComparingInt(Ordered::seq)).map(Ordered::finding).toList();
    }

    /** A closing comment: the keys not carried over, grouped by reason (values are in the command's report). */
    private void notCarriedOver(StringBuilder out) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (Finding f : findings(unmapped)) {
            byReason.computeIfAbsent(f.message(), r -> new ArrayList<>()).add(f.key());
        }
        if (byReason.isEmpty()) return;
        out.append("\n# Not carried over (basilica env import lists each key with its value and line):\n");
        for (var e : byReason.entrySet()) {
            wrap(out, String.join(", ", e.getValue().stream().distinct().toList()) + ": " + e.getKey());
        }
    }

    private static void wrap(StringBuilder out, String text) {
        String prefix = "#   ";
        StringBuilder line = new StringBuilder(prefix);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > 110 && line.length() > prefix.length()) {
                out.append(line.toString().stripTrailing()).append('\n');
                line = new StringBuilder("#     ");
            }
            line.append(word).append(' ');
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static Map.Entry<Pattern, String> reason(String regex, String why) {
        return Map.entry(Pattern.compile(regex), why);
    }

    /** A bound as the schema prints ranges: 1024, 0.1. */
    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
