#!/usr/bin/env python3
"""The README's first run against one public URL (the compose stack's gateway), client API only:
bootstrap a team, sign up a second one and log in, deploy examples/hello-python, run it with
parameters, read its logs and result. Exits 1 with the reason on the first failed step.
Usage: first-run.py BASE_URL BOOTSTRAP_TOKEN APP_DIR"""
import io
import json
import os
import sys
import tarfile
import time
import urllib.error
import urllib.request
import uuid

base, bootstrap_token, app_dir = sys.argv[1:4]


def call(method, path, body=None, token=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def expect(what, got, status):
    if got[0] not in status:
        sys.exit(f"first run failed: {what}: HTTP {got[0]} {got[1]}")
    print(f"  ok  {what}", file=sys.stderr)
    return got[1]


team = expect("bootstrap the first team", call("POST", "/api/v1/bootstrap/team",
              {"slug": "compose-admin", "name": "Admin", "password": "compose-password-1"},
              bootstrap_token), (200, 201))
expect("sign up a team", call("POST", "/api/v1/teams/signup",
       {"slug": "compose-team", "name": "Compose", "password": "compose-password-1"}), (201,))
token = expect("log in", call("POST", "/api/v1/teams/login",
               {"slug": "compose-team", "password": "compose-password-1"}), (200, 201))["token"]
expect("create the app", call("POST", "/api/v1/apps", {"slug": "hello-python"}, token), (201,))

buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w:gz") as tar:
    for dirpath, dirs, files in os.walk(app_dir):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            full = os.path.join(dirpath, name)
            tar.add(full, arcname=os.path.relpath(full, app_dir))
boundary = "mt" + uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"artifact\"; filename=\"app.tar.gz\"\r\n"
        f"Content-Type: application/gzip\r\n\r\n").encode() + buf.getvalue() + f"\r\n--{boundary}--\r\n".encode()
version = expect("deploy examples/hello-python", call("POST", "/api/v1/apps/hello-python/versions", body, token,
                 "multipart/form-data; boundary=" + boundary), (201,))
run = expect("run it with parameters", call("POST", "/api/v1/apps/hello-python/runs",
             {"input": {"name": "Compose", "count": 2}}, token), (201,))
run_id = run["run_id"]
deadline = time.time() + 180
status = None
while time.time() < deadline:
    status = call("GET", f"/api/v1/runs/{run_id}", token=token)
    if status[0] == 200 and status[1]["status"] in ("completed", "failed", "dead", "cancelled"):
        break
    time.sleep(1)
if not status or status[0] != 200 or status[1]["status"] != "completed":
    sys.exit(f"first run failed: run {run_id} did not complete within 180 s: {status}")
print(f"  ok  run {run_id} completed", file=sys.stderr)
logs = expect("read its logs", call("GET", f"/api/v1/runs/{run_id}/logs", token=token), (200,))
lines = [entry["line"] for entry in logs["logs"]]
greetings = [l for l in lines if "Hello, Compose!" in l]
if len(greetings) != 2 or "done" not in lines:
    sys.exit(f"first run failed: expected 2 greetings and 'done' in the logs, got {lines}")
print(f"  ok  logs: {len(lines)} lines, {len(greetings)} greetings", file=sys.stderr)
