//===- InferOps.h - infer dialect operations --------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFEROPS_H
#define INFER_DIALECT_INFER_IR_INFEROPS_H

#include "infer/Dialect/Infer/IR/InferAttrs.h"
#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "infer/Dialect/Infer/IR/InferOps.h.inc"

#endif // INFER_DIALECT_INFER_IR_INFEROPS_H
