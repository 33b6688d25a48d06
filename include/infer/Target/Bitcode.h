//===- Bitcode.h - LLVM dialect to LLVM bitcode -----------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_TARGET_BITCODE_H
#define INFER_TARGET_BITCODE_H

namespace mlir::infer {

/// Registers --mlir-to-llvm-bitcode: the LLVM dialect to LLVM bitcode.
void registerBitcodeTranslation();

} // namespace mlir::infer

#endif // INFER_TARGET_BITCODE_H
