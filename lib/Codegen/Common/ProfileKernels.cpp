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
#include "llvm/ADT/DenseSet.h"

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
  if (op->hasTrait<OpTrait::IsTerminator>() ||
      op->hasTrait<OpTrait::ConstantLike>())
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
  // Pre-order: the outermost such op, not the terminator of its body.
  op->walk<WalkOrder::PreOrder>([&](Operation *nested) {
    if (inner)
      return WalkResult::interrupt();
    if (nested != op && !nested->hasTrait<OpTrait::IsTerminator>() &&
        (nested->getDialect()->getNamespace() == "linalg" ||
         nested->getName().getStringRef() == "vector.contract"))
      inner = nested;
    return WalkResult::advance();
  });
  if (inner)
    os << " (" << inner->getName() << ")";
  // Without the tag infer-cpu-select-schedule{record} fused in.
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (auto tag = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      if (tag.getValue().starts_with("infer.kernel.") &&
          fused.getLocations().size() == 1)
        loc = fused.getLocations().front();
  os << " at " << loc;
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
      auto decl =
          func::FuncOp::create(builder, module.getLoc(), name, timerType);
      decl.setPrivate();
    };
    SmallVector<Attribute> names;
    SmallVector<int64_t> estimates;
    for (auto func : module.getOps<func::FuncOp>()) {
      // The schedule report rows, matched to kernels by location, each once.
      auto report = func->getAttrOfType<ArrayAttr>("infer.tile_report");
      func->removeAttr("infer.tile_report");
      SmallVector<bool> used(report ? report.size() : 0, false);
      if (func.isExternal() || !func.isPublic())
        continue;
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
        if (!isKernel(&op))
          continue;
        int64_t id = names.size();
        std::string name = describe(&op);
        int64_t estimate = -1;
        // Copies that bufferization added take the location of the op they
        // feed; they are not what the model estimated.
        if (report && !isa<memref::CopyOp>(op)) {
          // The tags of the ops the kernel computes (canonicalization may
          // have fused their locations with others).
          llvm::DenseSet<StringAttr> tags;
          op.walk([&](Operation *nested) {
            nested->getLoc()->walk([&](Location loc) {
              if (auto fused = dyn_cast<FusedLoc>(loc))
                if (auto tag =
                        dyn_cast_or_null<StringAttr>(fused.getMetadata()))
                  tags.insert(tag);
              return WalkResult::advance();
            });
          });
          std::string kinds;
          for (auto [i, row] : llvm::enumerate(report)) {
            auto dict = dyn_cast<DictionaryAttr>(row);
            if (used[i] || !dict)
              continue;
            auto tag = dict.getAs<StringAttr>("tag");
            auto ns = dict.getAs<IntegerAttr>("estimate_ns");
            auto kind = dict.getAs<StringAttr>("kind");
            if (!tag || !ns || !kind || !tags.contains(tag))
              continue;
            used[i] = true;
            estimate = std::max<int64_t>(estimate, 0) + ns.getInt();
            kinds += (kinds.empty() ? "" : "+") + kind.str();
          }
          if (!kinds.empty())
            name += " [" + kinds + "]";
        }
        estimates.push_back(estimate);
        names.push_back(StringAttr::get(ctx, name));
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
    module->setAttr("infer.profile_estimates_ns",
                    builder.getDenseI64ArrayAttr(estimates));
  }
};
} // namespace
