#!/usr/bin/env python3
"""Where a wasm call's time goes against the same call natively: two `perf` profiles grouped by part.

    perf record -o wasm.data -e cpu-clock -D 3500 -- target/release/rec-bench --profile reused example 8
    perf record -o native.data -e cpu-clock -D 1500 -- target/release/rec-bench --profile native example 8
    bench/tools/perf_by_part.py wasm.data US_PER_WASM_CALL native.data US_PER_NATIVE_CALL

The time per call is what `rec-bench --profile` prints (seconds / calls), so each part's share becomes
microseconds and the two sides can be subtracted. `-D` skips the set-up (`reused` compiles the module first,
about 2 s). The guest's functions have names because `--profile reused*` turns on wasmtime's perf map.
Functions are put in the first part whose pattern matches their name (the order below matters: an allocator
function in serde_json's code is counted as the allocator). Prints a markdown table (bench/README.md).
"""
import collections
import re
import subprocess
import sys

PARTS = [
    ("allocator", r"malloc|_int_free|unlink_chunk|cfree|consolidate|__rust_alloc|__rust_dealloc|__rust_realloc"
                  r"|__rdl_|alloc_shim|Dlmalloc|GlobalAlloc|_int_realloc|finish_grow|grow_one|do_reserve"),
    ("copies (memmove; the guest's memory.copy libcall)", r"memmove|memcpy|memory_copy|memset|memory_fill"),
    ("hashing, IndexMap (serde_json preserve_order)", r"sip::|hash_one|indexmap|hashbrown|IndexMap"),
    ("JSON writing (serde_json)", r"serde_json::ser|SerializeMap|SerializeStruct|Serializer|collect_seq|collect_map"
                                  r"|::serialize"),
    ("JSON reading (serde_json)", r"serde_json::de|serde_json::read|SliceRead|from_utf8|parse_str|deserialize_any"),
    ("reading the model (visitors, validate::de)", r"visit_map|visit_seq|ValueDe|MapDe|SeqDe|MapAccess|Deserialize"
                                                   r"|next_value|next_key|structure::"),
    ("validation rules, quantities", r"validate::|quantity|__multi3|__muloti4"),
    ("rendering, defaults", r"render::|defaults::"),
    ("drops, clones", r"drop_in_place|dying_next|Drop>::drop|clone"),
]
OTHER = "the rest (fmt, btree, memcmp, ABI, host)"


def shares(path):
    """(percent, symbol) of every symbol in the profile."""
    report = subprocess.run(
        ["perf", "report", "-i", path, "--no-children", "--sort", "sym", "--percent-limit", "0"],
        capture_output=True, text=True, check=True).stdout
    for line in report.splitlines():
        m = re.match(r"\s+([0-9.]+)%\s+\[\.\]\s+(.*)", line)
        if m:
            yield float(m.group(1)), m.group(2)


def part(symbol):
    return next((name for name, pattern in PARTS if re.search(pattern, symbol)), OTHER)


def by_part(path, us_per_call):
    totals = collections.Counter()
    for percent, symbol in shares(path):
        totals[part(symbol)] += percent * us_per_call / 100
    return totals


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    wasm = by_part(sys.argv[1], float(sys.argv[2]))
    native = by_part(sys.argv[3], float(sys.argv[4]))
    print("| part | wasm (us) | native (us) | difference |")
    print("|---|---|---|---|")
    for name in [name for name, _ in PARTS] + [OTHER]:
        print(f"| {name} | {wasm[name]:.2f} | {native[name]:.2f} | {wasm[name] - native[name]:+.2f} |")
    w, n = sum(wasm.values()), sum(native.values())
    print(f"| total | {w:.2f} | {n:.2f} | {w - n:+.2f} |")


if __name__ == "__main__":
    main()
