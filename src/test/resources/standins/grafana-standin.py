#!/usr/bin/python3
"""Stand-in for Grafana's server in convergence tests (no Grafana package can be reached offline).

Installed by a stand-in `grafana` package (built by the test) as /usr/share/grafana/bin/grafana,
where the real package puts its binary, and started by the same systemd unit line:

    grafana server --config=/etc/grafana/grafana.ini --pidfile=... --packaging=deb
        cfg:default.paths.logs=... cfg:default.paths.data=... cfg:default.paths.provisioning=...

It reads its settings the way Grafana does: grafana.ini ([server] http_addr, http_port; [security]
admin_user, admin_password; [paths] provisioning), the cfg:default.* arguments, then GF_<SECTION>_<KEY>
environment variables over both. At start it loads the provisioning directory: datasources/*.yaml|yml
(read once: a changed datasource needs a restart, as in Grafana) and dashboards/*.yaml|yml (the file
providers; their dashboards' JSON is read again on every request, as Grafana's provider polls the
directory). A provisioning file it cannot read or parse, a datasource without a name or a dashboard
without a uid and a title stops it with an error, as Grafana refuses to start on broken provisioning.

It serves, on the configured address and port, the parts of the HTTP API that checks and operators use:
GET /api/health (no login), and with basic authentication as the admin user (whose password is stored
in the data directory's grafana.db when the server first starts on an empty one, from admin_password
or GF_SECURITY_ADMIN_PASSWORD, and later changed only by `grafana cli admin reset-admin-password`,
which the package's /usr/sbin/grafana-cli runs, as Grafana's is): /api/datasources,
/api/datasources/uid/UID, /api/search (?query=, ?type=dash-db), /api/dashboards/uid/UID. The YAML
reader understands the subset the provisioning files use (block maps and lists, quoted and plain
scalars, comments); it is not a YAML parser, and it does not prove that Grafana accepts a file.
"""
import base64
import configparser
import glob
import hashlib
import http.server
import json
import os
import socketserver
import sys

VERSION = "10.4.2-standin"


def fail(message):
    print("grafana stand-in: error: " + message, file=sys.stderr, flush=True)
    sys.exit(1)


# --- a YAML subset: block mappings and sequences, scalars, comments -----------------------------

def scalar(text):
    text = text.strip()
    if text == "" or text in ("~", "null"):
        return None
    if text[0] in "\"'":
        if len(text) < 2 or text[-1] != text[0]:
            raise ValueError("unterminated quoted scalar: " + text)
        body = text[1:-1]
        return json.loads('"' + body + '"') if text[0] == '"' else body.replace("''", "'")
    if text[0] in "&*!|>%@`":
        raise ValueError("YAML beyond this reader (anchor, alias, tag or block scalar): " + text)
    if text[0] in "[{":
        try:
            return json.loads(text)
        except ValueError:
            raise ValueError("flow collection outside JSON: " + text)
    if text in ("true", "True"):
        return True
    if text in ("false", "False"):
        return False
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def strip_comment(line):
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def split_key(text):
    """'key: value' -> (key, value), or None when text is not a mapping entry."""
    quote = None
    for i, c in enumerate(text):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == ":" and (i + 1 == len(text) or text[i + 1] == " "):
            return scalar(text[:i]), text[i + 1:].strip()
    return None


def parse_yaml(text):
    lines = []
    for raw in text.splitlines():
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ValueError("tab in indentation")
        line = strip_comment(raw)
        if line.strip() in ("", "---"):
            continue
        lines.append((len(line) - len(line.lstrip(" ")), line.strip()))
    if not lines:
        return None
    value, end = block(lines, 0, lines[0][0])
    if end != len(lines):
        raise ValueError("unexpected indentation at: " + lines[end][1])
    return value


def block(lines, i, indent):
    if lines[i][1].startswith("- ") or lines[i][1] == "-":
        result = []
        while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
            rest = lines[i][1][1:].lstrip()
            if rest == "":
                value, i = block(lines, i + 1, lines[i + 1][0]) if i + 1 < len(lines) and lines[i + 1][0] > indent else (None, i + 1)
            elif split_key(rest) is not None:
                # "- key: value" opens a mapping indented as far as "key"
                inner = indent + (len(lines[i][1]) - len(rest))
                lines[i] = (inner, rest)
                value, i = block(lines, i, inner)
            else:
                value, i = scalar(rest), i + 1
            result.append(value)
        return result, i
    result = {}
    while i < len(lines) and lines[i][0] == indent:
        entry = split_key(lines[i][1])
        if entry is None:
            raise ValueError("expected 'key: value' at: " + lines[i][1])
        key, rest = entry
        if key in result:
            raise ValueError("duplicate key " + str(key))
        if rest == "":
            if i + 1 < len(lines) and (lines[i + 1][0] > indent
                                       or (lines[i + 1][0] == indent and lines[i + 1][1].startswith("- "))):
                result[key], i = block(lines, i + 1, lines[i + 1][0])
            else:
                result[key], i = None, i + 1
        else:
            result[key], i = scalar(rest), i + 1
    return result, i


# --- settings -----------------------------------------------------------------------------------

def settings(args):
    """args: the options before the command (server) or before the subcommand (cli)."""
    config, overrides = None, {}
    for arg in args:
        if arg.startswith("--config="):
            config = arg.split("=", 1)[1]
        elif arg.startswith("--pidfile=") or arg.startswith("--packaging=") or arg.startswith("--homepath="):
            pass
        elif arg.startswith("cfg:default."):
            key, _, value = arg[len("cfg:default."):].partition("=")
            section, _, name = key.partition(".")
            overrides[(section, name)] = value
        else:
            fail("unknown argument " + arg)
    if config is None or not os.path.isfile(config):
        fail("no configuration file at --config=" + str(config))
    ini = configparser.ConfigParser(interpolation=None, strict=False, comment_prefixes=("#", ";"))
    try:
        with open(config, encoding="utf-8") as f:
            ini.read_file(f)
    except (OSError, configparser.Error) as e:
        fail("cannot read " + config + ": " + str(e))

    def get(section, name, default):
        value = os.environ.get("GF_" + section.upper() + "_" + name.upper())
        if value is not None:
            return value
        if ini.has_option(section, name) and ini.get(section, name).strip() != "":
            return ini.get(section, name).strip()
        return overrides.get((section, name), default)

    port = get("server", "http_port", "3000")
    if not port.isdigit() or not 0 < int(port) < 65536:
        fail("invalid http_port " + port)
    return {
        "addr": get("server", "http_addr", ""),
        "port": int(port),
        "user": get("security", "admin_user", "admin"),
        "password": get("security", "admin_password", "admin"),
        "provisioning": get("paths", "provisioning", "/etc/grafana/provisioning"),
        "data": get("paths", "data", "/var/lib/grafana"),
    }


# --- the database: the admin user, created once -------------------------------------------------
# Grafana creates the admin user from admin_user/admin_password only when it starts on an empty
# database; later starts keep the stored password whatever the settings say. The stand-in's
# "database" is grafana.db in the data directory, JSON with the password's salted hash.

def database_path(cfg):
    return os.path.join(cfg["data"], "grafana.db")


def password_hash(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 10000).hex()


def write_database(cfg, password):
    salt = base64.b16encode(os.urandom(8)).decode()
    path = database_path(cfg)
    temporary = path + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump({"login": cfg["user"], "salt": salt, "password": password_hash(password, salt)}, f)
    os.replace(temporary, path)


def read_database(cfg):
    try:
        with open(database_path(cfg), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def authorized(cfg, header):
    """Basic authentication against the stored admin user, read on every request as Grafana does."""
    user = read_database(cfg)
    if not user or not header or not header.startswith("Basic "):
        return False
    try:
        login, _, password = base64.b64decode(header[len("Basic "):]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return False
    return login == user["login"] and password_hash(password, user["salt"]) == user["password"]


def cli(argv):
    """grafana cli [options] admin reset-admin-password (--password-from-stdin | PASSWORD)"""
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        i += 1
    options, command = argv[:i], argv[i:]
    expanded = []
    for option in options:  # the package's grafana-cli passes --configOverrides='cfg:... cfg:...'
        if option.startswith("--configOverrides="):
            expanded += option.split("=", 1)[1].split()
        elif not option.startswith("--pluginsDir="):
            expanded.append(option)
    cfg = settings(expanded)
    if command[:2] != ["admin", "reset-admin-password"] or len(command) != 3:
        fail("usage: grafana cli [options] admin reset-admin-password (--password-from-stdin | PASSWORD)")
    password = sys.stdin.readline().rstrip("\n") if command[2] == "--password-from-stdin" else command[2]
    if len(password) < 4:
        fail("New password is too short")
    user = read_database(cfg)
    if user is None:
        fail("no database at " + database_path(cfg))
    salt = base64.b16encode(os.urandom(8)).decode()
    user.update(salt=salt, password=password_hash(password, salt))
    path = database_path(cfg)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(user, f)
    stat = os.stat(path)
    os.chown(path + ".tmp", stat.st_uid, stat.st_gid)
    os.replace(path + ".tmp", path)
    print("Admin password changed successfully", flush=True)


def provisioning_files(directory):
    return sorted(glob.glob(os.path.join(directory, "*.yaml")) + glob.glob(os.path.join(directory, "*.yml")))


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return parse_yaml(f.read()) or {}
    except (OSError, ValueError) as e:
        fail("provisioning " + path + ": " + str(e))


def datasources(root):
    found = []
    for path in provisioning_files(os.path.join(root, "datasources")):
        doc = load(path)
        for ds in doc.get("datasources") or []:
            if not isinstance(ds, dict) or not ds.get("name") or not ds.get("type"):
                fail("provisioning " + path + ": a datasource needs a name and a type")
            found.append({
                "id": len(found) + 1, "uid": ds.get("uid") or "ds%d" % (len(found) + 1),
                "orgId": ds.get("orgId", 1), "name": ds["name"], "type": ds["type"],
                "access": ds.get("access", "proxy"), "url": ds.get("url", ""),
                "isDefault": bool(ds.get("isDefault", False)), "jsonData": ds.get("jsonData") or {},
                "readOnly": not ds.get("editable", False), "provisioningFile": path})
    return found


def providers(root):
    found = []
    for path in provisioning_files(os.path.join(root, "dashboards")):
        doc = load(path)
        for p in doc.get("providers") or []:
            if not isinstance(p, dict) or p.get("type", "file") != "file":
                fail("provisioning " + path + ": only file dashboard providers are known")
            folder = (p.get("options") or {}).get("path")
            if not folder:
                fail("provisioning " + path + ": provider " + str(p.get("name")) + " has no options.path")
            found.append({"name": p.get("name"), "folder": p.get("folder") or "General", "path": folder})
    return found


def dashboards(providers):
    """Read on every request, as Grafana's file provider polls its directory."""
    found = []
    for p in providers:
        for path in sorted(glob.glob(os.path.join(p["path"], "*.json"))):
            try:
                with open(path, encoding="utf-8") as f:
                    d = json.load(f)
            except (OSError, ValueError) as e:
                print("grafana stand-in: dashboard " + path + " unreadable: " + str(e), file=sys.stderr, flush=True)
                continue
            if not d.get("uid") or not d.get("title"):
                print("grafana stand-in: dashboard " + path + " has no uid or title", file=sys.stderr, flush=True)
                continue
            found.append({"dashboard": d, "folder": p["folder"], "file": os.path.basename(path)})
    return found


def main():
    if sys.argv[1:2] == ["cli"]:
        return cli(sys.argv[2:])
    if sys.argv[1:2] != ["server"]:
        fail("usage: grafana server --config=FILE [cfg:default.SECTION.KEY=VALUE ...] | grafana cli ...")
    cfg = settings(sys.argv[2:])
    if read_database(cfg) is None:
        write_database(cfg, cfg["password"])
        print("grafana stand-in: created admin user " + cfg["user"] + " in the empty database", flush=True)
    sources = datasources(cfg["provisioning"])
    provs = providers(cfg["provisioning"])
    print("grafana stand-in %s: datasources %s, dashboard providers %s" % (
        VERSION, [s["name"] for s in sources], [p["path"] for p in provs]), flush=True)

    class Handler(http.server.BaseHTTPRequestHandler):
        def send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            path, _, query = self.path.partition("?")
            params = dict(p.partition("=")[::2] for p in query.split("&") if p)
            if path == "/api/health":
                return self.send(200, {"commit": "standin", "database": "ok", "version": VERSION})
            if not authorized(cfg, self.headers.get("Authorization")):
                return self.send(401, {"message": "Unauthorized"})
            if path == "/api/datasources":
                return self.send(200, [{k: v for k, v in s.items() if k != "provisioningFile"} for s in sources])
            if path.startswith("/api/datasources/uid/"):
                for s in sources:
                    if s["uid"] == path.rsplit("/", 1)[1]:
                        return self.send(200, {k: v for k, v in s.items() if k != "provisioningFile"})
                return self.send(404, {"message": "Data source not found"})
            boards = dashboards(provs)
            if path == "/api/search":
                term = params.get("query", "").lower()
                if params.get("type", "dash-db") != "dash-db":
                    return self.send(200, [])
                return self.send(200, [{
                    "id": i + 1, "uid": b["dashboard"]["uid"], "title": b["dashboard"]["title"],
                    "uri": "db/" + b["dashboard"]["uid"], "url": "/d/" + b["dashboard"]["uid"],
                    "type": "dash-db", "tags": b["dashboard"].get("tags", []), "folderTitle": b["folder"]}
                    for i, b in enumerate(boards) if term in b["dashboard"]["title"].lower()])
            if path.startswith("/api/dashboards/uid/"):
                for i, b in enumerate(boards):
                    if b["dashboard"]["uid"] == path.rsplit("/", 1)[1]:
                        return self.send(200, {"dashboard": dict(b["dashboard"], id=i + 1), "meta": {
                            "provisioned": True, "provisionedExternalId": b["file"], "folderTitle": b["folder"],
                            "canSave": False, "slug": b["dashboard"]["uid"]}})
                return self.send(404, {"message": "Dashboard not found"})
            return self.send(404, {"message": "Not found"})

        def log_message(self, fmt, *args):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    try:
        server = Server((cfg["addr"], cfg["port"]), Handler)
    except OSError as e:
        fail("cannot listen on %s:%d: %s" % (cfg["addr"], cfg["port"], e))
    print("grafana stand-in: HTTP Server Listen address=%s:%d" % (cfg["addr"] or "0.0.0.0", cfg["port"]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
