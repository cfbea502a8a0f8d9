#!/usr/bin/env python3
"""Checks that forewarn's crates depend on one another only as docs/ARCHITECTURE.md says.

Reads `cargo metadata` and compares each crate's normal and build dependencies on other
forewarn crates with the allowed ones below; dev-dependencies (tests, benches) are free.
Run: python3 scripts/check-dependencies.py  (exit 1 and a line per breach when one is found)
"""

import json
import subprocess
import sys

# May depend on: each crate's allowed forewarn dependencies, lowest layer first.
ALLOWED = {
    # The pure core: bytes and intel in, findings out; no I/O.
    "forewarn-mail": set(),
    "forewarn-intel": {"forewarn-mail"},
    "forewarn-detect": {"forewarn-mail", "forewarn-intel"},
    "forewarn-yara": {"forewarn-mail", "forewarn-detect"},
    "forewarn-l10n": set(),
    # The edges: DNS, outgoing mail and webhooks, the databases.
    "forewarn-verify": {"forewarn-mail"},
    "forewarn-notify": set(),
    "forewarn-feeds": {"forewarn-notify"},
    "forewarn-store": {"forewarn-mail", "forewarn-detect"},
    # The path of a message after the core: in, stored, told.
    "forewarn-ingest": {
        "forewarn-mail",
        "forewarn-intel",
        "forewarn-detect",
        "forewarn-store",
        "forewarn-notify",
    },
    "forewarn-alerts": {"forewarn-store", "forewarn-notify", "forewarn-l10n"},
    # People: the HTTP service never runs detection, YARA or DNS checks of mail itself.
    "forewarn-server": {
        "forewarn-intel",
        "forewarn-feeds",
        "forewarn-store",
        "forewarn-notify",
        "forewarn-ingest",
        "forewarn-alerts",
        "forewarn-l10n",
    },
    # The binary composes everything.
    "forewarn": {
        "forewarn-mail",
        "forewarn-intel",
        "forewarn-detect",
        "forewarn-yara",
        "forewarn-verify",
        "forewarn-store",
        "forewarn-ingest",
        "forewarn-notify",
        "forewarn-feeds",
        "forewarn-alerts",
        "forewarn-server",
    },
    # Test peers: only ever a dev-dependency.
    "forewarn-test-support": set(),
}

# Dependencies that must stay optional: `forewarn worker` and `forewarn notifier` build
# without the HTTP service (`cargo build -p forewarn --no-default-features`).
OPTIONAL = {("forewarn", "forewarn-server")}


def main() -> int:
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    breaches = []
    for package in metadata["packages"]:
        name = package["name"]
        if name not in ALLOWED:
            breaches.append(f"{name} is not in docs/ARCHITECTURE.md's table: add it there and here")
            continue
        for dependency in package["dependencies"]:
            other = dependency["name"]
            if not other.startswith("forewarn") or dependency["kind"] == "dev":
                continue
            if other not in ALLOWED[name]:
                breaches.append(f"{name} may not depend on {other} (docs/ARCHITECTURE.md)")
            elif (name, other) in OPTIONAL and not dependency["optional"]:
                breaches.append(f"{name} must depend on {other} only as an optional dependency (docs/ARCHITECTURE.md)")
    for breach in sorted(set(breaches)):
        print(f"dependency rules: {breach}", file=sys.stderr)
    if not breaches:
        print(f"dependency rules: {len(metadata['packages'])} crates keep to docs/ARCHITECTURE.md")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())
