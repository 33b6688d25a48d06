//===- RecordSignatures.cpp - keep tensor signatures through lowering -----===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Stamps `infer.signature` (the tensor-level function type) on every public
// function definition, so tools can interpret memref descriptors after
// lowering, and moves `infer.name` argument attributes into an
// `infer.input_names` array. Overwrites nothing that is already recorded.
//
//===----------------------------------------------------------------------===//

#include "infer/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#define DEBUG_TYPE "infer-record-signatures"

namespace mlir::infer {
#define GEN_PASS_DEF_RECORDSIGNATURESPASS
#include "infer/Pipelines/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;

namespace {
struct RecordSignaturesPass final
    : infer::impl::RecordSignaturesPassBase<RecordSignaturesPass> {
  using Base::Base;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func.isPublic() || func.isExternal() ||
          func->hasAttr(infer::kSignatureAttrName))
        continue;
      func->setAttr(infer::kSignatureAttrName,
                    TypeAttr::get(func.getFunctionType()));
      // Input names move to the function: LLVM knows no such argument
      // attribute, but the C header wants the names.
      SmallVector<Attribute> names;
      bool named = false;
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
        auto name =
            func.getArgAttrOfType<StringAttr>(i, infer::kInputNameAttrName);
        named |= static_cast<bool>(name);
        names.push_back(name ? name : StringAttr::get(ctx, "input" + Twine(i)));
        func.removeArgAttr(i, infer::kInputNameAttrName);
      }
      if (named)
        func->setAttr(infer::kInputNamesAttrName, ArrayAttr::get(ctx, names));
    }
  }
};
} // namespace
