#!/usr/bin/env python3
"""Starts the real server the way each editor configuration under editors/
says (Helix, Sublime Text, Zed's settings example, the Neovim config) and
checks that it works: the command and arguments start a server, the
settings the configuration sends are accepted (no error shown to the user),
and a diagnostic for a broken Dockerfile arrives. For editors that CI cannot
run. Needs the server on PATH as `stagehand`. Prints
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


def helix():
    cfg = tomllib.loads((EDITORS / "helix/languages.toml").read_text())
    srv = cfg["language-server"]["stagehand"]
    langs = [l for l in cfg["language"] if l["name"] == "dockerfile"]
    assert langs and "stagehand" in langs[0]["language-servers"], "dockerfile does not use stagehand"
    return [srv["command"], *srv.get("args", [])], srv.get("config"), {"stagehand": srv.get("config")}


def sublime():
    text = (EDITORS / "sublime/LSP.sublime-settings").read_text()
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith("//"))
    c = json.loads(text)["clients"]["stagehand"]
    assert c["enabled"] and c["selector"] == "source.dockerfile", c
    return c["command"], c.get("initializationOptions"), c.get("settings")


def zed():
    readme = (EDITORS / "zed/README.md").read_text()
    block = re.search(r"```json\n(.*?)```", readme, re.S).group(1)
    lsp = json.loads(block)["lsp"]["stagehand"]
    # The extension runs `stagehand serve` unless binary.arguments says
    # otherwise; the path in the example is the user's, not ours.
    return ["stagehand", *lsp["binary"].get("arguments", ["serve"])], None, {"stagehand": lsp["settings"]}


def neovim():
    lua = (EDITORS / "neovim/lsp/stagehand.lua").read_text()
    cmd = re.search(r"cmd\s*=\s*\{([^}]*)\}", lua).group(1)
    return re.findall(r"'([^']*)'", cmd), None, None


class Server:
    def __init__(self, cmd, cwd):
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages = []
        self.cond = threading.Condition()
        self.next_id = 0
        self.settings = None
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
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": [self._section(i.get("section")) for i in items]})
            elif "id" in msg and "method" in msg:
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            with self.cond:
                self.messages.append(msg)
                self.cond.notify_all()

    def _section(self, name):
        s = self.settings
        if name and isinstance(s, dict) and name in s:
            return s[name]
        return s

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
    cmd, init_options, settings = load()
    assert cmd[0] == "stagehand", f"the configuration runs {cmd[0]!r}, not stagehand from PATH"
    root = pathlib.Path(work) / name
    root.mkdir()
    doc = root / "Dockerfile"
    doc.write_text("FROM golang:1.26 AS build\nFROM alpine:3.20\nCOPY --from=build /a /a\nRUNN echo typo\n")
    log = root / "server.log"
    s = Server([*cmd, "--log-file", str(log)], root)
    s.settings = settings
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
        assert d["range"]["start"] == {"line": 3, "character": 0}, f"diagnostic at {d['range']}"
        s.request("shutdown", None)
        s.notify("exit", None)
        code = s.proc.wait(timeout=TIMEOUT)
        assert code == 0, f"server exit code {code}"
        # The server logs settings it cannot use rather than failing.
        rejected = [l for l in log.read_text().splitlines() if "configuration" in l and ("WARN" in l or "ERROR" in l)]
        assert not rejected, f"the server rejected the configuration's settings: {rejected}"
    finally:
        if s.proc.poll() is None:
            s.proc.kill()
        s.proc.wait()


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        for name, load in [("helix", helix), ("sublime", sublime), ("zed", zed), ("neovim", neovim)]:
            try:
                check(name, load, work)
                passed += 1
                print(f"ok   {name}: its command starts the server, which accepts its settings and reports diagnostics")
            except Exception as e:  # noqa: BLE001 - every failure is reported
                failed += 1
                print(f"FAIL {name}: {type(e).__name__}: {e}")
    print(f"editor-configs: {passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
