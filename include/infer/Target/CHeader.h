//===- CHeader.h - C header for compiled models -----------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_TARGET_CHEADER_H
#define INFER_TARGET_CHEADER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::infer {

/// Writes a C header declaring `_mlir_ciface_<name>` for every public
/// function of `module` (before or after lowering: the tensor signature is
/// read from `infer.signature` when present), with one memref descriptor
/// type per element type and rank, and comments naming each input and output
/// with its dtype and shape. Fails on a signature a C caller cannot use.
LogicalResult emitCHeader(ModuleOp module, llvm::raw_ostream &os,
                          llvm::StringRef guardName = "INFER_MODEL_H");

/// Registers `--infer-c-header` with mlir-translate style tools.
void registerCHeaderTranslation();

} // namespace mlir::infer

#endif // INFER_TARGET_CHEADER_H
