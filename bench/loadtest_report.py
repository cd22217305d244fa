"""Prints locust's summary as a table with the load-test targets (p95 < 300 ms, no errors); exit 1 if missed."""

import csv
import sys

P95_TARGET_MS = 300


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(f"{'page':<50} {'requests':>9} {'failures':>9} {'median':>8} {'p95':>8}")
    for row in rows:
        print(
            f"{row['Name'][:50]:<50} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>8} {row['95%']:>8}"
        )
    p95 = float(total["95%"])
    failures = int(total["Failure Count"])
    ok_p95, ok_errors = p95 < P95_TARGET_MS, failures == 0
    print(f"p95 {p95:.0f} ms (target < {P95_TARGET_MS}): {'ok' if ok_p95 else 'MISSED'}")
    print(f"errors {failures} (target 0): {'ok' if ok_errors else 'MISSED'}")
    print(f"{int(ok_p95) + int(ok_errors)} passed, {2 - int(ok_p95) - int(ok_errors)} failed")
    return 0 if ok_p95 and ok_errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
