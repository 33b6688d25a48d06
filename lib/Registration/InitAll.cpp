//===- InitAll.cpp - register everything infer-mlir provides --------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"

#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::infer::registerAllInferDialects(DialectRegistry &registry) {
  registry.insert<InferDialect, func::FuncDialect, quant::QuantDialect,
                  tensor::TensorDialect>();
}

void mlir::infer::registerAllInferPasses() { registerInferPasses(); }
