//===- InferAttrs.h - infer dialect attributes ------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFERATTRS_H
#define INFER_DIALECT_INFER_IR_INFERATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "infer/Dialect/Infer/IR/InferEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "infer/Dialect/Infer/IR/InferAttrs.h.inc"

namespace mlir::infer {
/// The discardable attribute carrying a linalg op's schedule.
inline constexpr llvm::StringLiteral kScheduleAttrName = "infer.schedule";
} // namespace mlir::infer

#endif // INFER_DIALECT_INFER_IR_INFERATTRS_H
