//===- Passes.h - infer graph passes ----------------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_TRANSFORMS_PASSES_H
#define INFER_DIALECT_INFER_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::infer {

#define GEN_PASS_DECL
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"

} // namespace mlir::infer

#endif // INFER_DIALECT_INFER_TRANSFORMS_PASSES_H
