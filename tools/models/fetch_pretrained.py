#!/usr/bin/env python3
"""Fetch the pretrained ONNX models the test suite checks against onnxruntime.

    fetch_pretrained.py [--dir DIR] [--force] [--status]

Models we did not write, from wheels on the Python package index at pinned
versions (sha256 checked): PaddleOCR's PP-OCRv4 text detector and recognizer
and its mobile v2.0 direction classifier (rapidocr_onnxruntime 1.4.4, Apache
2.0), and Silero VAD (silero-vad 6.2.3, MIT). `tools/infer-dev setup` runs
this; the tests (test/models) and tools/models/pretrained.py read the cache.

Each wheel is fetched with `pip download --no-deps --only-binary=:all:`; its
.onnx files (and its metadata, for provenance) are unpacked into
DIR/<package>-<version>/ and the wheel is deleted. DIR defaults to
$INFER_MODELS_DIR, else <the venv running this>/share/infer-models (git
ignores .venv/). A package already unpacked is skipped without a word. When
the download fails (no network, the index unreachable) or the wheel does not
have the pinned sha256, a warning is printed, the reason is written to
DIR/<package>-<version>/UNAVAILABLE, and the exit status stays 0: set-up goes
on, and the tests of those models report the reason and are skipped. The next
set-up tries again. INFER_SETUP_FORCE naming `pretrained`, `all` or the
package fetches it again.

--status prints one line per package, as JSON: {"package", "version", "dir",
"available", "reason"}; nothing is fetched.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

# package -> version, wheel file name, sha256 of the wheel, what to unpack
# (path in the wheel -> file name in the cache) and its licence.
WHEELS = {
    "rapidocr_onnxruntime": {
        "version": "1.4.4",
        "wheel": "rapidocr_onnxruntime-1.4.4-py3-none-any.whl",
        "sha256": "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf",
        "license": "Apache-2.0 (PaddleOCR models)",
        "members": {
            "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx": "ch_PP-OCRv4_det_infer.onnx",
            "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx": "ch_PP-OCRv4_rec_infer.onnx",
            "rapidocr_onnxruntime/models/ch_ppocr_mobile_v2.0_cls_infer.onnx":
                "ch_ppocr_mobile_v2.0_cls_infer.onnx",
            "rapidocr_onnxruntime-1.4.4.dist-info/METADATA": "METADATA",
        },
    },
    "silero-vad": {
        "version": "6.2.3",
        "wheel": "silero_vad-6.2.3-py3-none-any.whl",
        "sha256": "7b7f5436cfcb02fae583a05b512ea96467fd449fe54cb49a5e4f06c51a1e43b8",
        "license": "MIT",
        "members": {
            "silero_vad/data/silero_vad_op18_ifless.onnx": "silero_vad_op18_ifless.onnx",
            "silero_vad/data/silero_vad_16k_op15.onnx": "silero_vad_16k_op15.onnx",
            "silero_vad-6.2.3.dist-info/METADATA": "METADATA",
            "silero_vad-6.2.3.dist-info/licenses/LICENSE": "LICENSE",
        },
    },
}
COMPLETE = ".complete"
UNAVAILABLE = "UNAVAILABLE"


def default_dir():
    return os.environ.get("INFER_MODELS_DIR") or os.path.join(sys.prefix, "share",
                                                              "infer-models")


def package_dir(root, package):
    return os.path.join(root, f"{package}-{WHEELS[package]['version']}")


def status(root, package):
    """(available, reason): reason says why a package is not there."""
    pin = f"{package}=={WHEELS[package]['version']}"
    where = package_dir(root, package)
    if os.path.exists(os.path.join(where, COMPLETE)):
        missing = [f for f in WHEELS[package]["members"].values()
                   if not os.path.exists(os.path.join(where, f))]
        if not missing:
            return True, ""
        return False, (f"{pin} is incomplete in {where} (missing {', '.join(missing)}); "
                       "run tools/infer-dev setup again")
    note = os.path.join(where, UNAVAILABLE)
    if os.path.exists(note):
        with open(note) as f:
            why = f.read().strip()
        return False, (f"{pin} could not be fetched at set-up ({why}); run "
                       "tools/infer-dev setup where the package index is reachable")
    return False, (f"{pin} has not been fetched into {root}; run tools/infer-dev setup")


def model_path(root, package, name):
    """The path of unpacked file `name` of `package`, or None with the reason
    it is not there: (path, reason)."""
    ok, why = status(root, package)
    return (os.path.join(package_dir(root, package), name), "") if ok else (None, why)


def forced(package):
    words = os.environ.get("INFER_SETUP_FORCE", "").split()
    return any(w in ("all", "pretrained", package) for w in words)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def warn(message):
    print(f"[infer-dev] warning: {message}", file=sys.stderr)


def log(message):
    print(f"[infer-dev] {message}", file=sys.stderr)


def fetch(root, package, force=False):
    """Fetches and unpacks `package` unless it is there; True when it is
    there afterwards."""
    spec = WHEELS[package]
    pin = f"{package}=={spec['version']}"
    where = package_dir(root, package)
    if not force and status(root, package)[0]:
        return True
    log(f"fetching {pin} from the Python package index (pretrained models for "
        f"test/models; {spec['license']}) into {where}")
    os.makedirs(where, exist_ok=True)
    for stale in (COMPLETE, UNAVAILABLE):
        if os.path.exists(os.path.join(where, stale)):
            os.remove(os.path.join(where, stale))

    def unavailable(why, detail=""):
        with open(os.path.join(where, UNAVAILABLE), "w") as f:
            f.write(why + "\n")
        warn(f"{pin} not fetched: {why}; the tests of its models will be skipped"
             + (f"\n{detail}" if detail else ""))
        return False

    with tempfile.TemporaryDirectory(dir=root) as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "-q", "-d", tmp, pin]
        # Fail fast without network, unless the caller set pip's own limits;
        # at least one retry, as pip names the connection error only when it
        # retries.
        try:
            retries = max(1, int(os.environ.get("PIP_RETRIES", "1")))
        except ValueError:
            retries = 1
        cmd[4:4] = ["--retries", str(retries)]
        if "PIP_TIMEOUT" not in os.environ:
            cmd[4:4] = ["--timeout", "15"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
        if proc.returncode != 0:
            lines = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
            network = [line for line in lines if any(
                word in line for word in ("Connection", "connection", "resolve",
                                          "timed out", "Max retries", "SSL", "Proxy"))]
            if network:
                line = network[-1]
                host = re.search(r"host='([^']+)', port=(\d+)", line)
                cause = re.search(r"\[Errno -?\d+\] [^'\")]+|Temporary failure in name "
                                  r"resolution|Name or service not known|timed out", line)
                why = "the package index was unreachable" + (
                    f" ({host.group(1)}:{host.group(2)}" if host else " (") + (
                    f"{': ' if host else ''}{cause.group(0)})" if cause else
                    (")" if host else f"{line[:200]})"))
            else:
                why = (f"pip download {pin} failed: "
                       f"{(lines[-1] if lines else f'exit status {proc.returncode}')[:300]}")
            return unavailable(why, "\n".join(lines[-5:]))
        wheel = os.path.join(tmp, spec["wheel"])
        if not os.path.exists(wheel):
            return unavailable(f"pip download {pin} did not produce {spec['wheel']} "
                               f"(got: {', '.join(sorted(os.listdir(tmp))) or 'nothing'})")
        got = sha256(wheel)
        if got != spec["sha256"]:
            return unavailable(f"{spec['wheel']} has sha256 {got}, not the pinned "
                               f"{spec['sha256']}")
        try:
            with zipfile.ZipFile(wheel) as z:
                for member, name in spec["members"].items():
                    with z.open(member) as src, \
                            open(os.path.join(where, name + ".part"), "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    os.replace(os.path.join(where, name + ".part"),
                               os.path.join(where, name))
        except (KeyError, zipfile.BadZipFile) as e:
            return unavailable(f"cannot unpack {spec['wheel']}: {e}")
    with open(os.path.join(where, COMPLETE), "w") as f:
        f.write(f"{pin} {spec['wheel']} sha256={spec['sha256']}\n")
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default=None,
                        help="the cache (default: $INFER_MODELS_DIR, else "
                             "<venv>/share/infer-models)")
    parser.add_argument("--force", action="store_true", help="fetch even what is there")
    parser.add_argument("--status", action="store_true",
                        help="print what is there (JSON lines); fetch nothing")
    args = parser.parse_args(argv)
    root = os.path.abspath(args.dir or default_dir())
    if args.status:
        for package, spec in WHEELS.items():
            ok, why = status(root, package)
            print(json.dumps({"package": package, "version": spec["version"],
                              "dir": package_dir(root, package), "available": ok,
                              "reason": why}))
        return 0
    os.makedirs(root, exist_ok=True)
    for package in WHEELS:
        fetch(root, package, force=args.force or forced(package))
    return 0


if __name__ == "__main__":
    sys.exit(main())
