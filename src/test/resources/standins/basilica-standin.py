#!/usr/bin/python3
"""Stand-in for the Basilica binaries (validator, miner, executor) in convergence tests.

Installed under the real binary's name, it parses the real command line, loads the TOML config
with the real loaders' rules (figment over serde: durations are { secs, nanos } tables, never
integers or strings; the miner's executor ids are UUIDs; the executor's managing_miner_hotkey is
a top-level SS58 address; the miner refuses its built-in JWT secret), fails loudly where the real
binary would, and then listens where the config says: the gRPC port (plain TCP), the validator's
HTTP API with /health, and Prometheus metrics. It is stricter than the real binaries in one
respect: a missing --config file is an error, not a silent fall-back to defaults.

Opt-in, for the tests that converge Docker: where DOCKER_REQUEST exists when the executor starts, it
drives containers the way the real executor does, through the Docker Engine API on the socket (no
docker CLI, no SDK): for each runtime the request names, it creates a container from the request's
image, starts it, waits for it, inspects it and removes it, and writes what happened (its uid and
groups, each step's HTTP status, the inspected runtime and exit code) as JSON to DOCKER_RESULT in its
StateDirectory. Failures are recorded there, not fatal: the test reads the file.
"""
import http.client
import http.server
import json
import os
import re
import socket
import socketserver
import sys
import threading
import tomllib
import uuid

NAME = os.path.basename(sys.argv[0])
SS58 = re.compile(r"5[1-9A-HJ-NP-Za-km-z]{47}")

# Fields of type std::time::Duration in each binary's config structs (reference §3).
DURATIONS = {
    "validator": ["verification.verification_interval", "verification.challenge_timeout",
                  "verification.min_verification_interval", "verification.discovery_timeout",
                  "ssh_session.key_cleanup_interval", "database.connect_timeout"],
    "miner": ["validator_comms.request_timeout", "validator_comms.rate_limit.window_duration",
              "executor_management.health_check_interval", "executor_management.health_check_timeout",
              "security.token_expiration", "ssh_session.session_cleanup_interval"],
    "executor": ["system.update_interval", "docker.container_timeout", "server.request_timeout"],
}


DOCKER_REQUEST = "/etc/basilica-standin/docker.json"
DOCKER_RESULT = "docker-exercise.json"


def die(message):
    print(f"{NAME}: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def lookup(config, dotted):
    node = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_duration(key, value):
    if value is None:
        return
    if not isinstance(value, dict):
        die(f"invalid type for {key}: expected struct Duration, found {type(value).__name__} {value!r}")
    if set(value) - {"secs", "nanos"} or not isinstance(value.get("secs"), int):
        die(f"invalid Duration for {key}: {value!r}")
    if "nanos" in value and not isinstance(value["nanos"], int):
        die(f"invalid nanos for {key}: {value!r}")


def load(path):
    if not path or not os.path.isfile(path):
        die(f"config file {path!r} does not exist")
    with open(path, "rb") as f:
        try:
            config = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            die(f"cannot parse {path}: {e}")
    for key in DURATIONS[NAME]:
        check_duration(key, lookup(config, key))
    return config


def arg(flags, argv):
    for i, a in enumerate(argv):
        for f in flags:
            if a == f and i + 1 < len(argv):
                return argv[i + 1]
            if a.startswith(f + "="):
                return a.split("=", 1)[1]
    return None


def hotkey(config):
    b = config.get("bittensor", {})
    path = os.path.join(os.environ.get("HOME", "/"), ".bittensor", "wallets", b.get("wallet_name", "default"),
                        "hotkeys", b.get("hotkey_name", "default"))
    if not os.path.isfile(path):
        die(f"no hotkey at {path}")


class Metrics(http.server.BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):
        if self.path.startswith("/metrics"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.end_headers()
            self.wfile.write(self.body)
        elif self.path == "/health" and NAME == "validator":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"status":"healthy"}')
        else:
            self.send_response(404)
            self.end_headers()

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_http(host, port):
    server = Server((host, int(port)), Metrics)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def serve_tcp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port)))
    s.listen(64)

    def accept():
        while True:
            conn, _ = s.accept()
            conn.close()

    threading.Thread(target=accept, daemon=True).start()


def split_host_port(address):
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


class UnixConnection(http.client.HTTPConnection):
    """HTTP over the Docker daemon's unix socket."""

    def __init__(self, path):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.path)


def docker_api(socket_path, method, path, body=None):
    connection = UnixConnection(socket_path)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data.decode(errors="replace")
        return response.status, parsed
    finally:
        connection.close()


def exercise_docker():
    """Create, start, wait for, inspect and remove one container per requested runtime; record it all."""
    with open(DOCKER_REQUEST) as f:
        request = json.load(f)
    socket_path = request.get("socket", "/var/run/docker.sock")
    record = {"uid": os.getuid(), "gid": os.getgid(), "groups": sorted(os.getgroups()), "socket": socket_path, "runs": []}
    try:
        status, version = docker_api(socket_path, "GET", "/version")
        record["version"] = {"status": status, "api": (version or {}).get("ApiVersion") if isinstance(version, dict) else None}
        for runtime in request.get("runtimes", [None]):
            run = {"runtime": runtime, "steps": []}
            record["runs"].append(run)
            host_config = {"NetworkMode": "none"}
            if runtime:
                host_config["Runtime"] = runtime
            name = f"basilica-standin-{os.getpid()}-{runtime or 'default'}"
            status, created = docker_api(socket_path, "POST", f"/containers/create?name={name}",
                                         {"Image": request["image"], "Cmd": request.get("cmd", ["/bin/echo", "ran"]),
                                          "HostConfig": host_config})
            run["steps"].append(["create", status])
            if status != 201:
                run["error"] = created
                continue
            cid = created["Id"]
            try:
                status, body = docker_api(socket_path, "POST", f"/containers/{cid}/start")
                run["steps"].append(["start", status])
                if status != 204:
                    run["error"] = body
                    continue
                status, waited = docker_api(socket_path, "POST", f"/containers/{cid}/wait")
                run["steps"].append(["wait", status])
                status, inspected = docker_api(socket_path, "GET", f"/containers/{cid}/json")
                run["steps"].append(["inspect", status])
                if status == 200:
                    run["inspected_runtime"] = inspected.get("HostConfig", {}).get("Runtime")
                    run["exit_code"] = inspected.get("State", {}).get("ExitCode")
                    run["image"] = inspected.get("Config", {}).get("Image")
            finally:
                status, body = docker_api(socket_path, "DELETE", f"/containers/{cid}?force=1")
                run["steps"].append(["remove", status])
                status, body = docker_api(socket_path, "GET", f"/containers/{cid}/json")
                run["steps"].append(["inspect-removed", status])
    except Exception as e:  # noqa: BLE001 - recorded for the test, which fails on it
        record["error"] = f"{type(e).__name__}: {e}"
    state = os.environ.get("STATE_DIRECTORY", os.getcwd()).split(":")[0]
    with open(os.path.join(state, DOCKER_RESULT), "w") as f:
        json.dump(record, f, indent=2)
    print(f"{NAME}: docker exercise recorded in {os.path.join(state, DOCKER_RESULT)}", flush=True)


def main():
    argv = sys.argv[1:]
    Metrics.body = f"basilica_{NAME}_standin_up 1\n".encode()
    if NAME == "validator":
        if not argv or argv[0] != "start":
            die("a subcommand is required (start)")
        config = load(arg(["--config"], argv[1:]))
        if lookup(config, "verification.netuid") is None:
            die("verification.netuid is not set: metagraph discovery would use netuid 1")
        hotkey(config)
        serve_http(*split_host_port(lookup(config, "api.bind_address") or "0.0.0.0:8080"))
        prom = lookup(config, "metrics.prometheus") or {}
        serve_http(prom.get("host", "127.0.0.1"), prom.get("port", 9090))
    elif NAME == "miner":
        config = load(arg(["--config", "-c"], argv))
        executors = lookup(config, "executor_management.executors") or []
        if not executors:
            die("no executors configured")
        for e in executors:
            try:
                uuid.UUID(str(e.get("id")))
            except ValueError:
                die(f"Invalid executor ID: {e.get('id')!r}")
            if not e.get("grpc_address"):
                die("executor grpc_address is empty")
        secret = os.environ.get("BASILCA_SECURITY__JWT_SECRET") or lookup(config, "security.jwt_secret")
        if not secret or secret == "change-me-in-production":
            die("security.jwt_secret is the built-in default; refusing to start")
        hotkey(config)
        server = config.get("server", {})
        serve_tcp(server.get("host", "0.0.0.0"), server.get("port", 8092))
        if "--metrics" in argv:
            prom = lookup(config, "metrics.prometheus") or {}
            serve_http(prom.get("host", "127.0.0.1"), prom.get("port", 9090))
    elif NAME == "executor":
        config = load(arg(["--config", "-c"], argv))
        if "--server" not in argv:
            print("executor: run with --server to serve", flush=True)
            return
        hotkey_ss58 = config.get("managing_miner_hotkey")
        if not isinstance(hotkey_ss58, str) or not SS58.fullmatch(hotkey_ss58):
            die(f"managing_miner_hotkey must be a top-level SS58 address, found {hotkey_ss58!r}")
        if os.path.isfile(DOCKER_REQUEST):
            exercise_docker()
        server = config.get("server", {})
        serve_tcp(server.get("host", "0.0.0.0"), server.get("port", 50051))
        if "--metrics" in argv:
            serve_http(*split_host_port(arg(["--metrics-addr"], argv) or "0.0.0.0:9090"))
    else:
        die(f"unknown binary name {NAME}")
    print(f"{NAME}: stand-in serving", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
