//===- ProfileKernels.cpp - infer-profile-kernels -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Brackets every top-level kernel of the public functions with calls to the
// runner's timers. Needs buffers (after bufferization), so that a kernel is
// one op of the function body; guarantees the computation is unchanged.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#define DEBUG_TYPE "infer-profile-kernels"

namespace mlir::infer {
#define GEN_PASS_DEF_PROFILEKERNELSPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;

static constexpr StringLiteral kBegin = "infer_profile_begin";
static constexpr StringLiteral kEnd = "infer_profile_end";

/// Whether `op` does work worth timing: loops and structured ops, not
/// allocation, views or constants.
static bool isKernel(Operation *op) {
  if (op->hasTrait<OpTrait::IsTerminator>() || op->hasTrait<OpTrait::ConstantLike>())
    return false;
  if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp,
          memref::SubViewOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
          memref::CastOp, memref::ReinterpretCastOp, memref::GetGlobalOp,
          memref::DimOp, bufferization::DeallocOp, func::CallOp>(op))
    return false;
  return op->getNumRegions() > 0 || isa<memref::CopyOp>(op) ||
         op->getDialect()->getNamespace() == "linalg";
}

/// What the report calls a kernel: the op, the first op inside a loop nest
/// that computes (a contraction, a vector op), and the location.
static std::string describe(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName();
  Operation *inner = nullptr;
  op->walk([&](Operation *nested) {
    if (!inner && nested != op &&
        (nested->getDialect()->getNamespace() == "linalg" ||
         nested->getName().getStringRef() == "vector.contract"))
      inner = nested;
  });
  if (inner)
    os << " (" << inner->getName() << ")";
  os << " at " << op->getLoc();
  return text;
}

namespace {
struct ProfileKernelsPass final
    : infer::impl::ProfileKernelsPassBase<ProfileKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);
    auto timerType = builder.getFunctionType({builder.getI64Type()}, {});
    auto declare = [&](StringRef name) {
      if (module.lookupSymbol(name))
        return;
      builder.setInsertionPointToEnd(module.getBody());
      auto decl = func::FuncOp::create(builder, module.getLoc(), name,
                                       timerType);
      decl.setPrivate();
    };
    SmallVector<Attribute> names;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.isPublic())
        continue;
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
        if (!isKernel(&op))
          continue;
        int64_t id = names.size();
        names.push_back(StringAttr::get(ctx, describe(&op)));
        Location loc = op.getLoc();
        builder.setInsertionPoint(&op);
        Value idValue = arith::ConstantIntOp::create(builder, loc, id, 64);
        func::CallOp::create(builder, loc, kBegin, TypeRange{}, idValue);
        builder.setInsertionPointAfter(&op);
        func::CallOp::create(builder, loc, kEnd, TypeRange{}, idValue);
      }
    }
    if (names.empty())
      return;
    declare(kBegin);
    declare(kEnd);
    module->setAttr("infer.profile_kernels", ArrayAttr::get(ctx, names));
  }
};
} // namespace
