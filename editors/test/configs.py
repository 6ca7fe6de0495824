#!/usr/bin/env python3
"""Starts the real server the way each editor configuration under editors/
says (Helix, Sublime Text, Zed's settings example, the Neovim config) and
checks that it works: the command and arguments start a server, the
settings the configuration sends are accepted (no error shown to the user)
and in force (a rule severity set where the configuration keeps its rules
reaches the diagnostics, the settings delivered as that editor delivers
them: initializationOptions, didChangeConfiguration after initialized, and
its own answer to workspace/configuration), and a diagnostic for a broken
Dockerfile arrives. For editors that CI cannot run. Needs the server on PATH as `stagehand`. Prints
"editor-configs: N passed, N failed" and exits non-zero on failure.
"""
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import time
import tomllib

EDITORS = pathlib.Path(__file__).resolve().parent.parent
TIMEOUT = 10.0


# The rule whose severity each configuration is given where it keeps its
# rules, and what the test then expects the diagnostics to carry: not the
# rule's default (hint).
RULE, SEVERITY, LSP_SEVERITY = "UnusedStage", "error", 1


def set_rule(obj):
    """Sets RULE to SEVERITY in every "rules" table of obj; returns how many."""
    n = 0
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "rules" and isinstance(v, dict):
                v[RULE] = SEVERITY
                n += 1
            else:
                n += set_rule(v)
    return n


def lookup(config, section):
    """Helix, Sublime's LSP and Zed answer workspace/configuration by
    walking their settings along the dotted section: null where it is
    missing, not the whole of them."""
    if not section:
        return config
    for part in section.split("."):
        if not isinstance(config, dict) or part not in config:
            return None
        config = config[part]
    return config


# Each loader returns the command, the initializationOptions, what the
# editor pushes in didChangeConfiguration after initialized (None: nothing)
# and its answer to workspace/configuration (a function of the section;
# None: the settings are not checked).


def helix():
    cfg = tomllib.loads((EDITORS / "helix/languages.toml").read_text())
    srv = cfg["language-server"]["stagehand"]
    langs = [l for l in cfg["language"] if l["name"] == "dockerfile"]
    assert langs and "stagehand" in langs[0]["language-servers"], "dockerfile does not use stagehand"
    config = srv.get("config")
    assert set_rule(config), "no rules table in the config"
    # Helix sends `config` as initializationOptions and again, after
    # initialized, in didChangeConfiguration, and answers
    # workspace/configuration with config.get(section).
    return [srv["command"], *srv.get("args", [])], config, config, lambda sec: lookup(config, sec)


def sublime():
    text = (EDITORS / "sublime/LSP.sublime-settings").read_text()
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
    c = json.loads(text)["clients"]["stagehand"]
    assert c["enabled"] and c["selector"] == "source.dockerfile", c
    assert set_rule(c), "no rules table in the client"
    settings = c.get("settings")
    return c["command"], c.get("initializationOptions"), settings, lambda sec: lookup(settings, sec)


def zed():
    readme = (EDITORS / "zed/README.md").read_text()
    block = re.search(r"```json\n(.*?)```", readme, re.S).group(1)
    lsp = json.loads(block)["lsp"]["stagehand"]
    assert set_rule(lsp), "no rules in the settings example"
    # The extension runs `stagehand serve` unless binary.arguments says
    # otherwise; the path in the example is the user's, not ours. Its
    # workspace configuration is {"stagehand": settings} (src/lib.rs).
    config = {"stagehand": lsp["settings"]}
    return ["stagehand", *lsp["binary"].get("arguments", ["serve"])], None, config, lambda sec: lookup(config, sec)


def neovim():
    lua = (EDITORS / "neovim/lsp/stagehand.lua").read_text()
    cmd = re.search(r"cmd\s*=\s*\{([^}]*)\}", lua).group(1)
    return re.findall(r"'([^']*)'", cmd), None, None, None


class Server:
    def __init__(self, cmd, cwd):
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages = []
        self.cond = threading.Condition()
        self.next_id = 0
        self.answer = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(out.read(length))
            if msg.get("method") == "workspace/configuration":
                items = msg["params"]["items"]
                answer = self.answer or (lambda sec: None)
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": [answer(i.get("section")) for i in items]})
            elif "id" in msg and "method" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            with self.cond:
                self.messages.append(msg)
                self.cond.notify_all()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, f"the {method} response")

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, what):
        deadline = time.monotonic() + TIMEOUT
        with self.cond:
            while True:
                for m in self.messages:
                    if pred(m):
                        return m
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise AssertionError(f"no {what} within {TIMEOUT:.0f} s")
                self.cond.wait(left)


def check(name, load, work):
    cmd, init_options, settings, answer = load()
    assert cmd[0] == "stagehand", f"the configuration runs {cmd[0]!r}, not stagehand from PATH"
    root = pathlib.Path(work) / name
    root.mkdir()
    doc = root / "Dockerfile"
    doc.write_text("FROM golang:1.26 AS build\nFROM alpine:3.20 AS spare\nFROM alpine:3.20\nCOPY --from=build /a /a\nRUNN echo typo\n")
    log = root / "server.log"
    s = Server([*cmd, "--log-file", str(log)], root)
    s.answer = answer
    try:
        init = s.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri(), "initializationOptions": init_options,
            "capabilities": {"workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}}},
        })
        assert "result" in init, f"initialize failed: {init}"
        s.notify("initialized", {})
        if settings is not None:
            s.notify("workspace/didChangeConfiguration", {"settings": settings})
        s.notify("textDocument/didOpen", {"textDocument": {"uri": doc.as_uri(), "languageId": "dockerfile", "version": 1, "text": doc.read_text()}})
        pub = s.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                     and any("unknown instruction" in d["message"].lower() for d in m["params"]["diagnostics"]),
                     "unknown-instruction diagnostic")
        d = next(d for d in pub["params"]["diagnostics"] if "unknown instruction" in d["message"].lower())
        assert d["range"]["start"] == {"line": 4, "character": 0}, f"diagnostic at {d['range']}"
        if answer is not None:
            # In force once every way the editor sends the settings has
            # arrived: the last publication carries the severity set.
            s.wait(lambda m: m.get("method") == "workspace/configuration", "workspace/configuration request")
            time.sleep(1.0)
            with s.cond:
                last = [m for m in s.messages if m.get("method") == "textDocument/publishDiagnostics"][-1]
            got = [x.get("severity") for x in last["params"]["diagnostics"] if x.get("code") == RULE]
            assert got == [LSP_SEVERITY], (
                f"{RULE} set to {SEVERITY!r} in the configuration, but the server publishes it with severity {got}, "
                f"not [{LSP_SEVERITY}]: the settings did not reach it as this editor sends them")
        s.request("shutdown", None)
        s.notify("exit", None)
        code = s.proc.wait(timeout=TIMEOUT)
        assert code == 0, f"server exit code {code}"
        # The server logs settings it cannot use rather than failing.
        rejected = [l for l in log.read_text().splitlines() if "configuration" in l and ("WARN" in l or "ERROR" in l)]
        assert not rejected, f"the server rejected the configuration's settings: {rejected}"
        return answer is not None
    finally:
        if s.proc.poll() is None:
            s.proc.kill()
        s.proc.wait()


def install_advice():
    """No editor setup tells the user to `go install` the module: it is not
    published, so that fails (README.md, Install)."""
    bad = []
    for f in sorted(EDITORS.rglob("*")):
        if "node_modules" in f.parts or not f.is_file() or f.suffix not in {".md", ".rs", ".lua", ".el", ".vim", ".toml", ".ts", ".json", ".yaml"}:
            continue
        for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
            if re.search(r"go install \S*stagehand", line):
                bad.append(f"{f.relative_to(EDITORS)}:{n}")
    assert not bad, f"advises `go install`, which fails (the module is not published): {', '.join(bad)}"


def main():
    passed = failed = 0
    try:
        install_advice()
        passed += 1
        print("ok   install advice: no setup says to `go install` the unpublished module")
    except AssertionError as e:
        failed += 1
        print(f"FAIL install advice: {e}")
    with tempfile.TemporaryDirectory() as work:
        for name, load in [("helix", helix), ("sublime", sublime), ("zed", zed), ("neovim", neovim)]:
            try:
                applied = check(name, load, work)
                passed += 1
                said = "accepts its settings, applies them as this editor sends them, and" if applied else "(given no settings)"
                print(f"ok   {name}: its command starts the server, which {said} reports diagnostics")
            except Exception as e:  # noqa: BLE001 - every failure is reported
                failed += 1
                print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"editor-configs: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
