//===- ConvertPrecision.cpp - infer-convert-precision ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Half-precision contractions: the weights of convolutions, gemms and
// matmuls become bf16 (or f16) constants at compile time, their input is
// cast to the same type, and they accumulate and return f32. Everything
// else (normalizations, softmax, activations, the residual adds) stays f32.
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferOps.h"
#include "infer/Dialect/Infer/Transforms/Passes.h"
#include "infer/Dialect/Infer/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>

namespace mlir::infer {
#define GEN_PASS_DEF_CONVERTPRECISIONPASS
#include "infer/Dialect/Infer/Transforms/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

/// `v` rounded to the nearest bf16 (ties to even), as its bits.
static uint16_t toBF16(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  if (std::isnan(v))
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  bits += 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

/// `v` rounded to the nearest f16 (ties to even), as its bits.
static uint16_t toF16(float v) {
  llvm::APFloat f(v);
  bool lost;
  f.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
            &lost);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

/// An infer.constant of `type` (16-bit floats) from `values`.
static Value halfConstant(OpBuilder &b, Location loc, RankedTensorType type,
                          const std::vector<float> &values) {
  bool bf16 = type.getElementType().isBF16();
  std::vector<uint16_t> bits(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    bits[i] = bf16 ? toBF16(values[i]) : toF16(values[i]);
  ArrayRef<char> bytes(reinterpret_cast<const char *>(bits.data()),
                       bits.size() * 2);
  ElementsAttr attr;
  if (values.size() <= 64)
    attr = DenseElementsAttr::getFromRawBuffer(type, bytes);
  else
    attr = DenseResourceElementsAttr::get(
        type, "weights",
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64));
  return ConstantOp::create(b, loc, attr);
}

namespace {
struct ConvertPrecisionPass final
    : infer::impl::ConvertPrecisionPassBase<ConvertPrecisionPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();
    Type half;
    if (precision == "bf16")
      half = BFloat16Type::get(ctx);
    else if (precision == "f16")
      half = Float16Type::get(ctx);
    else {
      func.emitError("infer-convert-precision: precision must be bf16 or "
                     "f16, not '")
          << precision << "'";
      return signalPassFailure();
    }
    int64_t converted = 0, total = 0;
    DenseMap<Value, Value> casts;
    func.walk([&](Operation *op) {
      if (!isa<Conv2DOp, GemmOp, MatMulOp>(op))
        return;
      ++total;
      Value input = op->getOperand(0), weight = op->getOperand(1);
      auto inputType = cast<RankedTensorType>(input.getType());
      auto weightType = cast<RankedTensorType>(weight.getType());
      auto why = [&]() -> std::optional<std::string> {
        if (!inputType.getElementType().isF32() ||
            !weightType.getElementType().isF32())
          return "not f32";
        if (auto gemm = dyn_cast<GemmOp>(op); gemm && gemm.getTransA())
          return "A is transposed";
        if (!weight.getDefiningOp<ConstantOp>())
          return "the weights are not a constant";
        LowPrecisionCost cost = lowPrecisionCost(op, /*macRatio=*/2,
                                                 /*elementBytes=*/2,
                                                 /*kGroup=*/2);
        if (cost.low >= cost.f32)
          return "16-bit is not faster by the cost model (its im2col copy "
                 "outweighs the faster products)";
        return std::nullopt;
      }();
      FailureOr<std::vector<float>> values =
          why ? FailureOr<std::vector<float>>(failure()) : getF32Values(weight);
      if (!why && failed(values))
        why = "the weights cannot be read";
      if (why) {
        if (report)
          op->emitRemark("infer-convert-precision: stays f32: ") << *why;
        return;
      }
      OpBuilder b(op);
      Value &cast = casts[input];
      if (!cast) {
        OpBuilder::InsertionGuard guard(b);
        if (Operation *def = input.getDefiningOp())
          b.setInsertionPointAfter(def);
        else
          b.setInsertionPointToStart(input.getParentBlock());
        cast = CastOp::create(b, input.getLoc(), inputType.clone(half), input);
      }
      op->setOperand(0, cast);
      op->setOperand(
          1, halfConstant(b, weight.getLoc(), weightType.clone(half), *values));
      ++converted;
      if (report)
        op->emitRemark("infer-convert-precision: ")
            << precision << " operands, f32 accumulation and result";
    });
    if (report)
      func.emitRemark("infer-convert-precision: ")
          << converted << " of " << total << " convolutions and contractions "
          << "in " << precision;
  }
};
} // namespace
