"""Read a generated 1,000,000-line WhatsApp export with grouptier and with published parsers.

The export is written once from a seeded RNG: an Android group chat in the
US English format (`12/31/24, 9:05 PM - Name: text`), about 300 senders over
a year, with multi-line messages, links, `<Media omitted>`, deleted messages
and system lines (added, left, joined using the invite link).

Each contender runs in its own Python process so that peak memory is its own
(`ru_maxrss` minus the memory of the process before reading):

- grouptier: `read_chat(path)` (counts per sender and day, content rule on);
  also on a quarter of the file, to show that its memory does not grow with it;
- whatstk, with format detection and with the header format given;
- chat-miner's `WhatsAppParser`;
- the floor: a bare loop of one compiled header regex over the file's lines.

Install the published parsers with `pip install '.[bench]'`; a missing one is
listed as not installed. Like every benchmark here it prints figures and never
fails on time.

    python benchmarks/bench_chat_import.py                 # 1,000,000 lines
    python benchmarks/bench_chat_import.py --lines 200000 --skip whatstk
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

SENTENCE = (
    "ok thanks see you tomorrow who is coming to the meetup great idea I agree please share "
    "the slides when ready our first 100 users came from word of mouth"
)
WORDS = SENTENCE.split()

CHILD = r"""
import json, re, resource, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024
which, path = sys.argv[1], sys.argv[2]
if which == "grouptier":
    from pathlib import Path
    from grouptier.chat_export import read_chat
    run = lambda: read_chat(Path(path)).messages
elif which == "floor":
    header = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}), (\d{1,2}):(\d{2}) ([AP]M) - ")
    def run():
        count = 0
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if header.match(line):
                    count += 1
        return count
elif which.startswith("whatstk"):
    from whatstk import WhatsAppChat
    options = {"max_size": None}
    if which == "whatstk-format":
        options.update(auto_header=False, hformat="%m/%d/%y, %I:%M %P - %name:")
    run = lambda: len(WhatsAppChat.from_source(path, **options).df)
else:
    import logging
    logging.disable(logging.CRITICAL)
    from chatminer.chatparsers import WhatsAppParser
    def run():
        parser = WhatsAppParser(path)
        parser.parse_file()
        return len(parser.parsed_messages.get_df())
before = rss()
start = time.perf_counter()
found = run()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "found": found, "memory_kb": max(peak - before, 0)}))
"""


def write_export(path: Path, lines: int, seed: int = 7) -> None:
    """A plausible Android export of exactly `lines` lines."""
    rng = random.Random(seed)
    senders = [f"Member {n}" for n in range(1, 280)] + [f"+44 7700 9{n:05d}" for n in range(20)]
    weights = [1 / (rank + 1) for rank in range(len(senders))]
    moment = datetime(2024, 1, 1, 8, 0)
    step = timedelta(seconds=365 * 86400 / lines)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            "1/1/24, 8:00 AM - Messages and calls are end-to-end encrypted. "
            "No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
        )
        written += 1
        while written < lines:
            moment += step
            stamp = f"{moment:%-m/%-d/%y, %-I:%M %p} - "
            roll = rng.random()
            who = rng.choices(senders, weights)[0]
            if roll < 0.01:
                out.write(f"{stamp}{who} added {rng.choice(senders)}\n")
            elif roll < 0.015:
                out.write(f"{stamp}{who} joined using this group's invite link\n")
            elif roll < 0.02:
                out.write(f"{stamp}{who} left\n")
            elif roll < 0.07:
                out.write(f"{stamp}{who}: <Media omitted>\n")
            elif roll < 0.08:
                out.write(f"{stamp}{who}: This message was deleted\n")
            else:
                text = " ".join(rng.choices(WORDS, k=rng.randint(1, 30)))
                if rng.random() < 0.05:
                    text += " https://example.org/post"
                out.write(f"{stamp}{who}: {text}\n")
                if rng.random() < 0.08 and written + 2 < lines:
                    out.write(" ".join(rng.choices(WORDS, k=12)) + "\n")
                    written += 1
            written += 1


def measure(which: str, path: Path) -> dict[str, float] | str:
    """Seconds, items found and peak memory of one contender, or why it did not run."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        return "not installed" if "ModuleNotFoundError" in last else last[:70]
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--skip", nargs="*", default=[], help="contenders to leave out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        big, small = Path(folder, "chat.txt"), Path(folder, "quarter.txt")
        write_export(big, args.lines)
        write_export(small, args.lines // 4)
        size = big.stat().st_size / 1e6
        print(f"export: {args.lines:,} lines, {size:.0f} MB (Android, US English, 12-hour)\n")
        rows = [
            ("grouptier", "grouptier", big),
            (f"grouptier on {args.lines // 4:,} lines", "grouptier", small),
            ("whatstk (format detected)", "whatstk", big),
            ("whatstk (format given)", "whatstk-format", big),
            ("chat-miner", "chatminer", big),
            ("floor: one regex per line", "floor", big),
        ]
        results: dict[str, dict[str, float] | str] = {}
        print(f"{'contender':<32}{'seconds':>9}{'lines/s':>13}{'peak MB':>10}{'found':>11}")
        for label, which, path in rows:
            if any(skip in which for skip in args.skip):
                continue
            figures = measure(which, path)
            results[label] = figures
            if isinstance(figures, str):
                print(f"{label:<32}{figures}")
                continue
            lines = args.lines if path is big else args.lines // 4
            print(
                f"{label:<32}{figures['seconds']:>9.2f}{lines / figures['seconds']:>13,.0f}"
                f"{figures['memory_kb'] / 1024:>10.1f}{int(figures['found']):>11,}"
            )
        verdict(results)


def verdict(results: dict[str, dict[str, float] | str]) -> None:
    """grouptier against the targets: >= 10x the faster published parser, <= 2x the floor."""
    ours = results.get("grouptier")
    if not isinstance(ours, dict):
        return
    published = [
        figures["seconds"]
        for label, figures in results.items()
        if isinstance(figures, dict) and ("whatstk" in label or "chat-miner" in label)
    ]
    floor = results.get("floor: one regex per line")
    print()
    if published:
        speedup = min(published) / ours["seconds"]
        print(f"vs the faster published parser: {speedup:.1f}x faster (target >= 10x)")
    if isinstance(floor, dict):
        ratio = ours["seconds"] / floor["seconds"]
        print(f"vs the floor: {ratio:.2f}x its time (target <= 2x)")


if __name__ == "__main__":
    main()
