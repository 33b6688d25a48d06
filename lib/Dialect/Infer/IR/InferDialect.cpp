//===- InferDialect.cpp - infer dialect -----------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/Dialect/Infer/IR/InferOps.h"

using namespace mlir;
using namespace mlir::infer;

#include "infer/Dialect/Infer/IR/InferOpsDialect.cpp.inc"

void InferDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "infer/Dialect/Infer/IR/InferOps.cpp.inc"
      >();
}

Operation *InferDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
