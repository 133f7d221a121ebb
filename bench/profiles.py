"""Generate varied batch profiles (JSON Lines) from the shipped rule base's own vocabulary.

    python bench/profiles.py 100000 > profiles.jsonl

1-2 conditions, 1-3 supplements (most with a daily dose), sometimes a medication; a fixed seed,
so every run measures the same input.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator

DOSES = (("mg", (5, 10, 25, 50, 100, 500)), ("mcg", (50, 100, 200, 400)), ("IU", (1000, 2000)))


def profiles(count: int, seed: int = 5) -> Iterator[dict[str, object]]:
    from suppcheck.model import Kind
    from suppcheck.rules import cache

    base = cache.load()
    conditions = sorted(base.entries[Kind.CONDITION])
    supplements = sorted(base.entries[Kind.SUPPLEMENT])
    medications = sorted(base.entries[Kind.MEDICATION])
    rng = random.Random(seed)
    for number in range(count):
        taken = []
        for supplement in rng.sample(supplements, rng.randint(1, 3)):
            name = base.entries[Kind.SUPPLEMENT][supplement].name
            if rng.random() < 0.7:
                unit, amounts = rng.choice(DOSES)
                taken.append(f"{name} {rng.choice(amounts)} {unit}")
            else:
                taken.append(name)
        yield {
            "id": f"p{number}",
            "conditions": rng.sample(conditions, rng.randint(1, 2)),
            "supplements": taken,
            "medications": rng.sample(medications, 1) if rng.random() < 0.3 else [],
            "active": rng.random() < 0.2,
        }


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    out = sys.stdout
    for profile in profiles(count):
        out.write(json.dumps(profile) + "\n")


if __name__ == "__main__":
    main()
