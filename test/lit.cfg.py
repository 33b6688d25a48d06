# -*- Python -*-
# lit configuration of the infer-mlir regression tests.

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "INFER"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.infer_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "downstream", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%infer_lib_dir", config.infer_lib_dir))
config.substitutions.append(("%infer_src_root", config.infer_src_root))
config.substitutions.append(("%infer_obj_root", config.infer_obj_root))
config.substitutions.append(("%infer_tools_dir", config.infer_tools_dir))
config.substitutions.append(("%mlir_dir", config.mlir_dir))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%cxx", config.cxx_compiler))
config.substitutions.append(
    ("%plugin", os.path.join(config.infer_lib_dir, "InferPlugin.so")))

config.substitutions.append(("%python", config.python_executable))
if subprocess.run([config.python_executable, "-c", "import numpy"],
                  capture_output=True).returncode == 0:
    config.available_features.add("numpy")
if subprocess.run([config.python_executable, "-c",
                   "import onnx, onnxruntime, infer.onnx"],
                  capture_output=True).returncode == 0:
    config.available_features.add("onnx")

# infer-tune, on this build's tools.
config.substitutions.append(
    ("%infer-tune", f"{config.python_executable} -m infer.tune.cli "
                    f"--bin {config.infer_tools_dir}"))
# Ray (set-up installs it): infer-tune's Ray runner against a local cluster.
if subprocess.run([config.python_executable, "-c", "import ray"],
                  capture_output=True).returncode == 0:
    config.available_features.add("ray")

# Debian's dataset-fashion-mnist: the accuracy of the example CNN.
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")

# Set-up tests reinstall Debian packages: they need root (or sudo without a
# password) and apt-get.
if os.path.exists("/usr/bin/apt-get") and (
        os.geteuid() == 0 or (shutil.which("sudo") and subprocess.run(
            ["sudo", "-n", "true"], capture_output=True).returncode == 0)):
    config.available_features.add("can-install")

# Every named capture is local to its CHECK-LABEL block.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

llvm_config.use_default_substitutions()
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# FileCheck, not, count and mlir-opt come from the LLVM 22 tools directory,
# which Debian does not put on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.infer_tools_dir, append_path=True)

if os.path.exists(os.path.join(config.infer_tools_dir, "infer-fuzz-ir")):
    config.available_features.add("libfuzzer")

# Sanitizer build: a downstream project links our instrumented libraries with
# the same flags, and stock tools that load our plugin preload the runtime
# (leak checks off there: the stock tool is not ours).
if config.sanitizers:
    config.available_features.add("sanitizers")
    config.substitutions.append(
        ("%sanitizer_ldflags", f"-fsanitize={config.sanitizers} -shared-libsan "
         f"-Wl,-rpath,{config.sanitizer_runtime_dir}"))
    stock_tool_prefix = (f"env LD_PRELOAD={config.sanitizer_runtime} "
                         "ASAN_OPTIONS=detect_leaks=0 ")
    # libFuzzer's link puts libstdc++ before the runtime: preload it.
    fuzzer_prefix = f"env LD_PRELOAD={config.sanitizer_runtime} "
else:
    config.substitutions.append(("%sanitizer_ldflags", ""))
    stock_tool_prefix = fuzzer_prefix = ""

tool_dirs = [config.infer_tools_dir, config.llvm_tools_dir]
tools = [
    "infer-opt",
    "infer-run",
    "infer-translate",
    ToolSubst("infer-import-onnx",
              command=config.python_executable + " -m infer.onnx.importer"),
    "infer-capi-test",
    ToolSubst("infer-fuzz-ir", unresolved="ignore",
              command=fuzzer_prefix + os.path.join(config.infer_tools_dir,
                                                   "infer-fuzz-ir")),
    ToolSubst("mlir-opt", unresolved="fatal",
              command=stock_tool_prefix + os.path.join(config.llvm_tools_dir,
                                                       "mlir-opt")),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
