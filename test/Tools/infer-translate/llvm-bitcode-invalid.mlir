// RUN: not infer-translate --mlir-to-llvm-bitcode %s -o %t.bc 2>&1 | FileCheck %s
// RUN: not test -e %t.bc

// An op with no LLVM IR form: a located error, and no output file.
// CHECK: llvm-bitcode-invalid.mlir:[[@LINE+4]]:1: error: cannot be converted to LLVM IR
llvm.func @f() {
  llvm.return
}
spirv.module Logical GLSL450 {
}
