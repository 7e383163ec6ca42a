#!/usr/bin/python3
"""Writes the compose file of the compose check: docker-compose.yml with the images that
images.sh built or chose (images.env), every published port on a free host port (same bind
address), paths made absolute, no build sections and no top-level name (podman-compose 1.0.3
ignores it, docker-compose 1.29 rejects it). Services without an image here (Prometheus and
Grafana where no registry is reachable) and the second runner (a replica; CPU is short) are left
out and named on stderr.
Usage: compose-file.py REPO_ROOT IMAGES_ENV OUT_FILE PORTS_FILE"""
import os
import socket
import sys

import yaml

root, images_env, out, ports_out = sys.argv[1:5]
images = {}
for line in open(images_env):
    line = line.strip()
    if line and not line.startswith("#") and "=" in line:
        k, v = line.split("=", 1)
        images[k] = v

with open(os.path.join(root, "docker-compose.yml")) as f:
    doc = yaml.safe_load(f)
doc.pop("name", None)
services = doc["services"]
replace = {
    "postgres": "MTW_IMAGE_POSTGRES",
    "kafka": "MTW_IMAGE_KAFKA",
    "migrate": "MTW_IMAGE_FLYWAY",
    "gateway": "MTW_IMAGE_GATEWAY",
    "prometheus": "MTW_IMAGE_PROMETHEUS",
    "grafana": "MTW_IMAGE_GRAFANA",
    "api-service": "MTW_IMAGE_API",
    "runner-service": "MTW_IMAGE_RUNNER",
    "scheduler-service": "MTW_IMAGE_SCHEDULER",
    "runner-1": "MTW_IMAGE_AGENT",
    "runner-2": "MTW_IMAGE_AGENT",
}
left_out = []
for name in list(services):
    key = replace.get(name)
    image = images.get(key, "") if key else services[name].get("image", "")
    if name == "runner-2":
        left_out.append("runner-2 (a second replica of runner-1)")
        del services[name]
        continue
    if not image:
        left_out.append(f"{name} (no image without a registry: {services[name].get('image')})")
        del services[name]
        continue
    services[name]["image"] = image
for svc in services.values():
    svc.pop("build", None)
    deps = svc.get("depends_on")
    if isinstance(deps, dict):
        for d in [d for d in deps if d not in services]:
            del deps[d]

def absolute(path):
    return os.path.normpath(os.path.join(root, path)) if path.startswith("./") else path

used = set()

def free_port():
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            p = s.getsockname()[1]
        if p not in used and p not in (5432, 8000, 8080, 8081, 8082, 9080, 9081, 9082, 9090, 3000):
            used.add(p)
            return p

published = []
for name, svc in services.items():
    svc["volumes"] = [
        ":".join([absolute(v.split(":")[0])] + v.split(":")[1:]) for v in svc.get("volumes", [])
    ]
    if not svc["volumes"]:
        del svc["volumes"]
    if "security_opt" in svc:
        svc["security_opt"] = [
            o.split("=", 1)[0] + "=" + absolute(o.split("=", 1)[1]) if o.startswith("seccomp=") else o
            for o in svc["security_opt"]
        ]
    ports = []
    for p in svc.get("ports", []):
        parts = str(p).split(":")
        container = parts[-1]
        host = free_port()
        ports.append(":".join(parts[:-2] + [str(host), container]))
        published.append(f"{name} {container} {host}")
    if ports:
        svc["ports"] = ports
if "volumes" in doc:
    # only the named volumes that a remaining service uses
    names = {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])}
    doc["volumes"] = {k: v for k, v in doc["volumes"].items() if k in names}
with open(out, "w") as f:
    yaml.safe_dump(doc, f, sort_keys=False)
with open(ports_out, "w") as f:
    f.write("\n".join(published) + "\n")
for item in left_out:
    print(f"left out of the compose check: {item}", file=sys.stderr)
