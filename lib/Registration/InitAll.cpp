//===- InitAll.cpp - register everything infer-mlir provides --------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"

#include "infer/Conversion/Passes.h"
#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Pipelines/Pipelines.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::infer::registerAllInferDialects(DialectRegistry &registry) {
  registry.insert<InferDialect, arith::ArithDialect, func::FuncDialect,
                  linalg::LinalgDialect, math::MathDialect, quant::QuantDialect,
                  tensor::TensorDialect>();
}

void mlir::infer::registerAllInferPasses() {
  registerInferPasses();
  registerInferConversionPasses();
  registerInferPipelinesPasses();
  registerCPUPipeline();
}
