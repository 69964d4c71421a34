#!/usr/bin/env python3
"""Writes the fuzz seed corpus fuzz/corpus/<target>/ from the agreement corpus (wasm-tests/corpus).

Seeds are derived, not committed: run this before fuzzing (scripts/test.d/70-fuzz.sh does). Files that fuzzing
added to fuzz/corpus/ are kept; seeds are named seed-<case> so a re-run overwrites only them.
    python3 fuzz/seeds.py
Per target:
  abi_bytes      one byte (the operation number) + the case's request bytes, for every case;
  validate_json  0x00 + the request JSON of every validate case (the target's "JSON text" mode);
  yaml           the text of every parseYaml case (and of the examples), UTF-8 or not;
  render_rec     a few byte strings (the target builds its RECs from the valid cases itself).
"""

import base64
import json
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
CASES = HERE.parent / "wasm-tests" / "corpus"
OUT = HERE / "corpus"
ABI = HERE.parent / "core" / "src" / "abi.rs"


def operation_numbers():
    """The operation numbers as the core's `abi::Op` has them (`Plan = 8`, `Op::Plan => "plan"`): read from the
    source, so a new operation needs no second list here."""
    text = ABI.read_text()
    numbers = {v: int(n) for v, n in re.findall(r"^\s*(\w+) = (\d+),", text, re.M)}
    names = dict(re.findall(r'Op::(\w+) => "(\w+)"', text))
    ops = {name: numbers[variant] for variant, name in names.items() if variant in numbers}
    if not ops:
        raise SystemExit(f"no operations found in {ABI}")
    return ops


# Seeds above this size slow every fuzzing run down and teach the fuzzer nothing the hostile corpus doesn't test.
MAX_SEED = 64 * 1024


def request_bytes(case):
    if "request" in case:
        return json.dumps(case["request"], separators=(",", ":"), ensure_ascii=False).encode()
    if "requestText" in case:
        return case["requestText"].encode("utf-8", "surrogatepass")
    return base64.b64decode(case["requestBase64"])


def main():
    ops = operation_numbers()
    seeds = {"abi_bytes": {}, "validate_json": {}, "yaml": {}, "render_rec": {}}
    for path in sorted(CASES.rglob("*.json")):
        case = json.loads(path.read_text())
        name, op = case["name"], case["op"]
        body = request_bytes(case)
        if len(body) > MAX_SEED:
            continue
        if op not in ops:
            raise SystemExit(f"{path}: operation {op!r} is not one of the core's ({', '.join(ops)})")
        seeds["abi_bytes"][name] = bytes([ops[op]]) + body
        if op == "validate":
            seeds["validate_json"][name] = b"\x00" + body
        if op == "parseYaml":
            seeds["yaml"][name] = body
    for i in range(8):
        seeds["render_rec"][f"bases-{i}"] = bytes([i * 7, i, 0x30 + i, 0xFF - i] * (i + 1))
    for target, files in seeds.items():
        folder = OUT / target
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("seed-*"):
            old.unlink()
        for name, data in files.items():
            (folder / f"seed-{name}").write_bytes(data)
    print(", ".join(f"{t}: {len(f)} seeds" for t, f in seeds.items()), "in", OUT)


if __name__ == "__main__":
    main()
