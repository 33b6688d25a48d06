//===- RefineShapes.cpp - propagate static shapes -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Re-runs type inference over the infer ops of each function and narrows
// result types to the most static compatible type. Needs verified IR.
// Guarantees valid IR: values that reach ops of other dialects keep their
// declared type through a tensor.cast.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/IR/ShapeInference.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

#define DEBUG_TYPE "infer-refine-shapes"

namespace mlir::infer {
#define GEN_PASS_DEF_REFINESHAPESPASS
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

/// The most static type compatible with both, or null if they conflict.
static RankedTensorType meetShapes(RankedTensorType declared, Type inferred) {
  auto other = dyn_cast<RankedTensorType>(inferred);
  if (!other || other.getRank() != declared.getRank())
    return {};
  SmallVector<int64_t> shape;
  for (auto [d, i] : llvm::zip(declared.getShape(), other.getShape())) {
    if (!dimsCompatible(d, i))
      return {};
    shape.push_back(ShapedType::isDynamic(d) ? i : d);
  }
  return RankedTensorType::get(shape, declared.getElementType(),
                               declared.getEncoding());
}

/// Gives `value` the type `refined`; uses by ops that are not infer ops see
/// the old type through a tensor.cast.
static void retypeValue(Value value, RankedTensorType refined) {
  Type old = value.getType();
  value.setType(refined);
  SmallVector<OpOperand *> foreign;
  for (OpOperand &use : value.getUses())
    if (!isa<InferDialect>(use.getOwner()->getDialect()))
      foreign.push_back(&use);
  if (foreign.empty())
    return;
  OpBuilder builder(value.getContext());
  builder.setInsertionPointAfterValue(value);
  auto cast = tensor::CastOp::create(builder, value.getLoc(), old, value);
  for (OpOperand *use : foreign)
    use->set(cast);
}

/// Whether `cast` only forgets static information of its source.
static bool isWideningCast(tensor::CastOp cast) {
  auto dest = dyn_cast<RankedTensorType>(cast.getType());
  return cast && dest &&
         meetShapes(dest, cast.getSource().getType()) ==
             cast.getSource().getType();
}

/// Returns the values in front of every `func.return` with their most static
/// type (dropping casts that only widen it) and updates the function type,
/// where all returns agree.
static void updateResultTypes(func::FuncOp func) {
  SmallVector<func::ReturnOp> returns;
  func.walk([&](func::ReturnOp op) { returns.push_back(op); });
  if (returns.empty())
    return;
  SmallVector<Type> results(func.getResultTypes());
  for (unsigned i = 0, e = results.size(); i < e; ++i) {
    Type refined;
    bool agree = true;
    for (func::ReturnOp ret : returns) {
      auto cast = ret.getOperand(i).getDefiningOp<tensor::CastOp>();
      Type type = cast && isWideningCast(cast) ? cast.getSource().getType()
                                               : ret.getOperand(i).getType();
      agree &= !refined || refined == type;
      refined = type;
    }
    if (!agree || refined == results[i])
      continue;
    results[i] = refined;
    for (func::ReturnOp ret : returns) {
      auto cast = ret.getOperand(i).getDefiningOp<tensor::CastOp>();
      if (!cast || !isWideningCast(cast))
        continue;
      ret.setOperand(i, cast.getSource());
      if (cast->use_empty())
        cast->erase();
    }
  }
  func.setFunctionType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), results));
}

bool mlir::infer::refineShapes(func::FuncOp func, bool updateSignature) {
  bool changed = false;
  func.walk([&](Operation *op) {
    if (!isa<InferDialect>(op->getDialect()))
      return;
    auto inference = dyn_cast<InferTypeOpInterface>(op);
    if (!inference)
      return;
    SmallVector<Type> inferred;
    // No location: a failure here only means there is nothing to refine.
    if (failed(inference.inferReturnTypes(
            op->getContext(), std::nullopt, op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), inferred)))
      return;
    for (auto [result, type] : llvm::zip(op->getResults(), inferred)) {
      auto declared = dyn_cast<RankedTensorType>(result.getType());
      if (!declared)
        continue;
      RankedTensorType refined = meetShapes(declared, type);
      if (!refined || refined == declared)
        continue;
      retypeValue(result, refined);
      changed = true;
    }
  });
  if (updateSignature)
    updateResultTypes(func);
  return changed;
}

bool mlir::infer::specializeBatchSize(func::FuncOp func, int64_t batchSize) {
  if (func.isExternal())
    return false;
  bool changed = false;
  for (BlockArgument arg : func.getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.getRank() == 0 || !type.isDynamicDim(0))
      continue;
    SmallVector<int64_t> shape(type.getShape());
    shape[0] = batchSize;
    retypeValue(arg, RankedTensorType::get(shape, type.getElementType(),
                                           type.getEncoding()));
    changed = true;
  }
  if (changed)
    func.setFunctionType(FunctionType::get(func.getContext(),
                                           func.getBody().getArgumentTypes(),
                                           func.getResultTypes()));
  return changed;
}

namespace {
struct RefineShapesPass final
    : infer::impl::RefineShapesPassBase<RefineShapesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (batchSize < 0) {
      module.emitError("infer-refine-shapes: batch-size must be >= 0, got ")
          << static_cast<int64_t>(batchSize);
      return signalPassFailure();
    }
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      // Callers would no longer match a changed signature.
      bool isEntry = SymbolTable::symbolKnownUseEmpty(func, module);
      if (isEntry && batchSize > 0)
        specializeBatchSize(func, batchSize);
      refineShapes(func, isEntry);
    }
  }
};
} // namespace
