#!/usr/bin/env python3
"""Summarise a JFR recording of a MiniTower service (see docs/performance.md).

    jcmd <pid> JFR.start name=bench duration=60s settings=profile filename=/tmp/svc.jfr
    ./mtw bench burst ...
    python3 bench/scripts/jfr-top.py /tmp/svc.jfr

Prints (1) CPU samples (jdk.ExecutionSample): share per library family, top self frames, first
project frame; (2) time blocked reading sockets >= 10 ms (jdk.SocketRead; with JDBC: waiting for
PostgreSQL) per first two project frames, which names the statement or commit being waited for.
"""
import collections
import re
import subprocess
import sys

FAMILIES = [
    ("pgjdbc", "org.postgresql."),
    ("Narayana JTA", "com.arjuna."),
    ("Agroal pool", "io.agroal."),
    ("Jackson", "com.fasterxml.jackson"),
    ("Micrometer", "io.micrometer"),
    ("logging", "org.jboss.logmanager"),
    ("Vert.x/Netty", "io.netty."),
    ("RESTEasy Reactive", "org.jboss.resteasy.reactive"),
    ("SHA-256", "sun.security.provider"),
    ("bcrypt", "BCrypt"),
    ("Kafka client", "org.apache.kafka"),
]


def events(path, kind, depth):
    out = subprocess.run(
        ["jfr", "print", "--stack-depth", str(depth), "--events", kind, path],
        check=True, capture_output=True, text=True).stdout
    for chunk in out.split(kind + " {")[1:]:
        m = re.search(r"stackTrace = \[(.*?)\n  \]", chunk, re.S)
        frames = [l.strip() for l in m.group(1).strip().split("\n")] if m else []
        frames = [f for f in frames if f and f != "..."]
        d = re.search(r"duration = ([\d.]+) (ms|s|us)", chunk)
        ms = 0.0
        if d:
            v = float(d.group(1))
            ms = v * 1000 if d.group(2) == "s" else v / 1000 if d.group(2) == "us" else v
        yield frames, ms


def method(frame):
    return re.sub(r"\(.*", "", frame)


def cpu(path):
    n = 0
    fam, top, proj = collections.Counter(), collections.Counter(), collections.Counter()
    for frames, _ in events(path, "jdk.ExecutionSample", 80):
        if not frames:
            continue
        n += 1
        top[re.sub(r"\s+line:.*", "", frames[0])] += 1
        for name, pat in FAMILIES:
            if any(pat in f for f in frames):
                fam[name] += 1
        first = next((f for f in frames if f.startswith("dev.minitower")), None)
        if first:
            proj[method(first)] += 1
    print(f"CPU samples: {n}")
    for title, c, k in (("by family (inclusive)", fam, 12), ("top self frames", top, 15),
                        ("first project frame", proj, 15)):
        print(f"-- {title}")
        for key, v in c.most_common(k):
            print(f"  {100 * v / max(n, 1):5.1f}%  {key[:150]}")


def waits(path):
    total, count = collections.Counter(), collections.Counter()
    for frames, ms in events(path, "jdk.SocketRead", 40):
        projs = [re.sub(r"\(.*?\)", "", f) for f in frames if f.startswith("dev.minitower")]
        key = " <- ".join(projs[:2]) if projs else "other: " + (frames[0][:80] if frames else "?")
        total[key] += ms
        count[key] += 1
    print(f"-- socket reads >= 10 ms: {sum(count.values())} events, {sum(total.values()) / 1000:.1f} s")
    for key, v in total.most_common(20):
        print(f"  {v / 1000:7.1f} s  n={count[key]:5d}  avg {v / count[key]:6.1f} ms  {key[:200]}")


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(f"== {p}")
        cpu(p)
        waits(p)
