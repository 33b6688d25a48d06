//===- InferDialect.h - infer dialect ---------------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFERDIALECT_H
#define INFER_DIALECT_INFER_IR_INFERDIALECT_H

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Dialect.h"

#include "infer/Dialect/Infer/IR/InferOpsDialect.h.inc"

#endif // INFER_DIALECT_INFER_IR_INFERDIALECT_H
