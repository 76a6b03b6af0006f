"""Time the mapping of a 40-status home timeline from upstream JSON to Mastodon JSON.

Run: python bench/bench_mapping.py [--rounds 200]
The input is Friendica 2024.08's recorded home timeline (19 statuses with
entities) repeated with fresh ids up to 40 statuses, so mentions, hashtags,
links, titles and activities are all in the mix.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mappings.context import MappingContext  # noqa: E402
from mappings.statuses import status_from_friendica  # noqa: E402

RECORDING = (
    Path(__file__).resolve().parents[2]
    / "shared/reference/recorded/100-GET-statuses-home_timeline-include_entities.json"
)


def forty_statuses() -> list[dict]:
    recorded = json.loads(RECORDING.read_text())["response"]["body"]
    timeline = []
    while len(timeline) < 40:
        status = copy.deepcopy(recorded[len(timeline) % len(recorded)])
        status["id"] = 1000 - len(timeline)
        timeline.append(status)
    return timeline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="timelines to map (default: 200)")
    arguments = parser.parse_args()

    timeline = forty_statuses()
    context = MappingContext(
        public_url="https://gateway.example", upstream_url="http://127.0.0.1:8088", viewer_id=3
    )
    for status in timeline[:5]:
        status_from_friendica(status, context).to_json()  # warm caches and imports

    durations = []
    for _ in range(arguments.rounds):
        started = time.perf_counter()
        mapped = [status_from_friendica(status, context).to_json() for status in timeline]
        durations.append((time.perf_counter() - started) * 1000)
    assert len(mapped) == 40

    durations.sort()
    print(f"python {platform.python_version()} on {platform.machine()}, {arguments.rounds} rounds")
    print(
        f"map 40 statuses: median {statistics.median(durations):.2f} ms, "
        f"p95 {durations[int(len(durations) * 0.95) - 1]:.2f} ms, "
        f"per status {statistics.median(durations) / 40 * 1000:.0f} µs"
    )


if __name__ == "__main__":
    main()
