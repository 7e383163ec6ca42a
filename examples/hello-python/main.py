"""hello-python: greets someone, count times.

Run inputs arrive as environment variables named after the parameters. The server does not apply
Towerfile defaults, so the script falls back to them itself.
"""

import os
import sys

from greeting import greet  # lib/greeting.py, importable because lib is an import path


def main() -> int:
    name = os.environ.get("name", "World")
    try:
        count = int(os.environ.get("count", "1"))
    except ValueError:
        print(f"count must be an integer, got {os.environ['count']!r}", file=sys.stderr)
        return 2
    run = os.environ.get("MINITOWER_RUN_NO", "?")
    attempt = os.environ.get("MINITOWER_ATTEMPT", "?")
    print(f"run #{run} (attempt {attempt}) of {os.environ.get('MINITOWER_APP', 'hello-python')}")
    for i in range(1, count + 1):
        print(greet(name, i))
    print("done", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
