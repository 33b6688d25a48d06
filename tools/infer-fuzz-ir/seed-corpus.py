#!/usr/bin/env python3
"""Seed corpus and dictionary for infer-fuzz-ir.

    seed-corpus.py SRC_ROOT OUT_DIR

Every `// -----` chunk of the .mlir tests and example models under SRC_ROOT
(up to 16 KiB, the fuzzer's input limit) becomes one corpus file in
OUT_DIR/corpus; the op names, attribute names and type tokens they use go to
OUT_DIR/infer.dict, so mutations insert real keywords.
"""
import hashlib
import pathlib
import re
import sys

LIMIT = 16384
TOKENS = re.compile(
    r"\b(?:infer|arith|tensor|linalg|func|quant)\.[a-z_0-9]+"  # op names
    r"|\b[a-z_]+(?= = )"  # attribute names
    r"|tensor<[^<>]*>|!quant\.uniform<[^<>]*>"  # types
    r"|\barray<i64[^>]*>|dense<[^<>]*>")


def chunks(root):
    for path in sorted(root.glob("test/**/*.mlir")) + sorted(
            root.glob("tools/demo/models/*.mlir")):
        text = path.read_text(errors="replace")
        for chunk in text.split("// -----"):
            # RUN/CHECK lines are comments: harmless but useless to mutate.
            body = "\n".join(line for line in chunk.splitlines()
                             if not line.lstrip().startswith("//"))
            if body.strip() and len(body) <= LIMIT:
                yield body


def main():
    root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    tokens = set()
    count = 0
    for body in chunks(root):
        name = hashlib.sha1(body.encode()).hexdigest()
        (corpus / name).write_text(body)
        tokens.update(TOKENS.findall(body))
        count += 1
    with open(out / "infer.dict", "w") as f:
        for token in sorted(tokens):
            escaped = token.replace("\\", "\\\\").replace('"', '\\"')
            f.write(f'"{escaped}"\n')
    print(f"{count} corpus files, {len(tokens)} dictionary tokens in {out}")


if __name__ == "__main__":
    main()
