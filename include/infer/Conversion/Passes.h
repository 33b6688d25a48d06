//===- Passes.h - conversion passes -----------------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CONVERSION_PASSES_H
#define INFER_CONVERSION_PASSES_H

#include "infer/Conversion/InferToLinalg/InferToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::infer {

#define GEN_PASS_DECL
#include "infer/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "infer/Conversion/Passes.h.inc"

} // namespace mlir::infer

#endif // INFER_CONVERSION_PASSES_H
