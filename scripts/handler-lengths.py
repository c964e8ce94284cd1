#!/usr/bin/env python3
"""Lines per HTTP handler in the api and pages files: count, median, mean, longest (issue 9's measure)."""
import pathlib, re, statistics, sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")
lengths = []
for f in sorted(root.rglob("*.rs")):
    if not re.search(r"/(api|pages)(/|\.rs$)", str(f)):
        continue
    lines = f.read_text().splitlines()
    i = 0
    while i < len(lines):
        if re.match(r"\s*#\[(get|post|put|patch|delete)\(", lines[i]):
            j = i + 1
            while not re.match(r"\s*(pub(\(\w+\))? )?async fn ", lines[j]):
                j += 1
            depth, k, started = 0, j, False
            while True:
                depth += lines[k].count("{") - lines[k].count("}")
                started = started or "{" in lines[k]
                if started and depth == 0:
                    break
                k += 1
            lengths.append((k - j + 1, f"{f}:{j + 1}"))
            i = k
        i += 1
if not lengths:
    sys.exit("no handlers found")
ns = [n for n, _ in lengths]
longest = max(lengths)
print(f"handlers {len(ns)}; median {statistics.median(ns)} lines; mean {statistics.mean(ns):.1f}; longest {longest[0]} ({longest[1]})")
