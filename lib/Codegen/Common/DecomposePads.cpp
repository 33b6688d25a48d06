//===- DecomposePads.cpp - infer-decompose-pads ---------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// tensor.pad -> linalg.fill + tensor.insert_slice, before bufferization, so
// that empty-tensor elimination can place the padded value's producer in
// the padded buffer. Needs tensors; guarantees the same values.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"
#include "infer/Support/Rewrite.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "infer-decompose-pads"

namespace mlir::infer {
#define GEN_PASS_DEF_DECOMPOSEPADSPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;

namespace {
struct DecomposePadsPass final
    : infer::impl::DecomposePadsPassBase<DecomposePadsPass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    RewritePatternSet patterns(&getContext());
    linalg::populateDecomposePadPatterns(patterns);
    infer::applyPatternsToFixpoint(func, std::move(patterns),
                                   "infer-decompose-pads");
    // Empty-tensor elimination needs the padded buffer to exist before the
    // value's producer runs: fills of static empty tensors with a constant
    // move to the top of the function.
    Block &entry = func.getBody().front();
    SmallVector<linalg::FillOp> fills;
    func.walk([&](linalg::FillOp fill) {
      if (fill->getBlock() != &entry || fill.getNumDpsInits() != 1)
        return;
      auto empty =
          fill.getDpsInitOperand(0)->get().getDefiningOp<tensor::EmptyOp>();
      Value value = fill.getDpsInputOperand(0)->get();
      if (empty && empty.getDynamicSizes().empty() &&
          (value.getDefiningOp<arith::ConstantOp>() ||
           isa<BlockArgument>(value)))
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : llvm::reverse(fills)) {
      Operation *empty = fill.getDpsInitOperand(0)->get().getDefiningOp();
      Operation *value = fill.getDpsInputOperand(0)->get().getDefiningOp();
      fill->moveBefore(&entry, entry.begin());
      empty->moveBefore(fill);
      if (value)
        value->moveBefore(empty);
    }
  }
};
} // namespace
