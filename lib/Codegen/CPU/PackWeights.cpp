//===- PackWeights.cpp - infer-cpu-pack-weights ---------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Contractions whose right-hand side is a constant read it as panels of NR
// columns contiguous along K, packed here at compile time: the micro-kernel
// then loads two full vectors per K step from one stream. Needs linalg on
// tensors; guarantees the result is the same contraction on a relaid
// constant (the output is viewed through a free reshape). Whether a KxK
// convolution becomes im2col times its filter and the panel width are the
// op's weight layout: the model's, or one forced by the tuning database.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/Tuning.h"
#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"
#include "infer/Support/Rewrite.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/FormatVariadic.h"

#define DEBUG_TYPE "infer-cpu-pack-weights"

namespace mlir::infer {
#define GEN_PASS_DEF_CPUPACKWEIGHTSPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

/// Whether `map` reads exactly the loops `dims`, in that order.
static bool readsExactly(AffineMap map, ArrayRef<unsigned> dims) {
  if (map.getNumResults() != dims.size())
    return false;
  for (auto [expr, dim] : llvm::zip(map.getResults(), dims)) {
    auto d = dyn_cast<AffineDimExpr>(expr);
    if (!d || d.getPosition() != dim)
      return false;
  }
  return true;
}

namespace {
/// A plain (m, n, k) matrix product on tensors with row-major A and C and a
/// constant B, read as [K, N] or, `transposed`, as [N, K].
struct ConstantRhsProduct {
  ElementsAttr value;
  bool transposed = false;
};
} // namespace

/// Matches `op` as a ConstantRhsProduct; the reasons it does not go to
/// `rewriter` when there is one.
static FailureOr<ConstantRhsProduct>
matchConstantRhsProduct(linalg::LinalgOp op, PatternRewriter *rewriter) {
  auto notify = [&](const char *why) -> FailureOr<ConstantRhsProduct> {
    if (rewriter)
      return rewriter->notifyMatchFailure(op, why);
    return failure();
  };
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3)
    return notify("not a 2-D matrix product");
  if (!linalg::isaContractionOpInterface(op))
    return notify("not a contraction");
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || !dims->batch.empty() || dims->m.size() != 1 ||
      dims->n.size() != 1 || dims->k.size() != 1)
    return notify("not a plain (m, n, k) product");
  unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  ConstantRhsProduct product;
  if (readsExactly(maps[1], {k, n}))
    product.transposed = false;
  else if (readsExactly(maps[1], {n, k}))
    product.transposed = true;
  else
    return notify("B is not [K, N] or [N, K]");
  if (!readsExactly(maps[0], {m, k}) || !readsExactly(maps[2], {m, n}))
    return notify("A or C is not row major");
  auto constant =
      op.getDpsInputOperand(1)->get().getDefiningOp<arith::ConstantOp>();
  product.value =
      constant ? dyn_cast<ElementsAttr>(constant.getValue()) : ElementsAttr();
  if (!product.value)
    return notify("B is not a constant");
  return product;
}

/// The model's panel width for `columns` columns: two vectors (`nr`); one
/// when the columns come in single vectors (16, 48...): padding them to two
/// would waste half the work.
static int64_t modelPanel(int64_t columns, int64_t nr) {
  return (columns % nr != 0 && columns % (nr / 2) == 0) ? nr / 2 : nr;
}

/// Gives `to` the weight layout forced on `from`, if any.
static void forwardLayout(Operation *from, Operation *to) {
  if (std::optional<WeightLayout> forced = getForcedWeightLayout(from))
    setForcedWeightLayout(to, *forced);
}

namespace {
struct PackConstantWeights final : OpInterfaceRewritePattern<linalg::LinalgOp> {
  PackConstantWeights(MLIRContext *ctx, int64_t nr)
      : OpInterfaceRewritePattern(ctx), nr(nr) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<ConstantRhsProduct> product =
        matchConstantRhsProduct(op, &rewriter);
    if (failed(product))
      return failure();
    ElementsAttr value = product->value;
    bool transposed = product->transposed;
    if (!isa<FloatType>(value.getElementType()))
      return rewriter.notifyMatchFailure(op, "B is not a float constant");
    int64_t columns =
        cast<ShapedType>(value.getType()).getDimSize(transposed ? 0 : 1);
    int64_t width = modelPanel(columns, nr);
    if (std::optional<WeightLayout> forced = getForcedWeightLayout(op)) {
      if (forced->panel == 0)
        return rewriter.notifyMatchFailure(op, "its layout leaves B unpacked");
      width = forced->panel;
    }
    FailureOr<ElementsAttr> packed =
        packPanelsConstant(value, transposed, width);
    if (failed(packed))
      return rewriter.notifyMatchFailure(op, "B cannot be packed");

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto packedType = cast<RankedTensorType>(packed->getType());
    int64_t panels = packedType.getDimSize(0);
    int64_t paddedCols = panels * width;
    Value init = op.getDpsInitOperand(0)->get();
    auto initType = cast<RankedTensorType>(init.getType());
    int64_t cols = initType.getDimSize(1);
    OpFoldResult rows = tensor::getMixedSize(rewriter, loc, init, 0);
    // Pad the output columns to whole panels (zeros: they are dropped).
    if (cols != paddedCols) {
      Value zero = arith::ConstantOp::create(
          rewriter, loc, rewriter.getZeroAttr(initType.getElementType()));
      auto paddedType = RankedTensorType::get(
          {initType.getDimSize(0), paddedCols}, initType.getElementType());
      init = tensor::PadOp::create(
          rewriter, loc, paddedType, init,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                 rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                 rewriter.getIndexAttr(paddedCols - cols)},
          zero);
    }
    auto viewType = RankedTensorType::get(
        {initType.getDimSize(0), panels, width}, initType.getElementType());
    Value view = tensor::ExpandShapeOp::create(
        rewriter, loc, viewType, init,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}},
        ArrayRef<OpFoldResult>{rows, rewriter.getIndexAttr(panels),
                               rewriter.getIndexAttr(width)});
    Value weights = arith::ConstantOp::create(rewriter, loc, *packed);

    // Loops (m, n1, n0, k): A[m, k], B[n1, k, n0], C[m, n1, n0]; the body
    // (multiply-accumulate, with its casts) is the original one.
    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> newMaps = {
        AffineMap::get(4, 0, {dim(0), dim(3)}, ctx),
        AffineMap::get(4, 0, {dim(1), dim(3), dim(2)}, ctx),
        AffineMap::get(4, 0, {dim(0), dim(1), dim(2)}, ctx)};
    SmallVector<utils::IteratorType> iterators(4,
                                               utils::IteratorType::parallel);
    iterators[3] = utils::IteratorType::reduction;
    Value lhs = op.getDpsInputOperand(0)->get();
    auto generic = linalg::GenericOp::create(rewriter, loc, TypeRange{viewType},
                                             ValueRange{lhs, weights}, view,
                                             newMaps, iterators);
    rewriter.cloneRegionBefore(op->getRegion(0), generic.getRegion(),
                               generic.getRegion().begin());
    // Named ops have an implicit body: build it the way generalization does.
    if (generic.getRegion().empty() ||
        generic.getRegion().front().getNumArguments() != 3)
      return rewriter.notifyMatchFailure(op, "unexpected body");

    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, generic.getResult(0),
        ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    if (cols != paddedCols) {
      SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = {rows, rewriter.getIndexAttr(cols)};
      SmallVector<OpFoldResult> strides(2, rewriter.getIndexAttr(1));
      result = tensor::ExtractSliceOp::create(rewriter, loc, result, offsets,
                                              sizes, strides);
    }
    if (result.getType() != op->getResult(0).getType())
      result = tensor::CastOp::create(rewriter, loc, op->getResult(0).getType(),
                                      result);
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  int64_t nr;
};

/// Whether `body` is `c + extA(a) * extB(b)` on its arguments (a, b, c).
template <typename AddOp, typename MulOp, typename ExtA, typename ExtB>
static bool isWidenedProduct(Block &body) {
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield && yield.getNumOperands() == 1
                 ? yield.getOperand(0).getDefiningOp<AddOp>()
                 : AddOp();
  if (!add)
    return false;
  Value acc = add.getLhs(), product = add.getRhs();
  if (acc != body.getArgument(2))
    std::swap(acc, product);
  auto mul = product.template getDefiningOp<MulOp>();
  if (acc != body.getArgument(2) || !mul)
    return false;
  auto widens = [&](Value v, auto ext, unsigned arg) {
    auto op = v.getDefiningOp<decltype(ext)>();
    return op && op.getIn() == body.getArgument(arg);
  };
  return (widens(mul.getLhs(), ExtA(), 0) && widens(mul.getRhs(), ExtB(), 1)) ||
         (widens(mul.getRhs(), ExtA(), 0) && widens(mul.getLhs(), ExtB(), 1));
}

/// The K values one lane of a dot-product instruction sums when `op`'s body
/// is one: 4 for unsigned by signed bytes into i32 (`c + extui(a) *
/// extsi(b)`, AVX512-VNNI `vpdpbusd`), 2 for bf16 by bf16 into f32 (`c +
/// extf(a) * extf(b)`, AVX512-BF16 `vdpbf16ps`); 0 for other bodies.
static int64_t dotGroup(linalg::LinalgOp op) {
  if (op->getNumRegions() != 1 || op->getRegion(0).empty())
    return 0;
  Block &body = op->getRegion(0).front();
  if (body.getNumArguments() != 3)
    return 0;
  Type a = body.getArgument(0).getType(), b = body.getArgument(1).getType(),
       c = body.getArgument(2).getType();
  if (a.isInteger(8) && b.isInteger(8) && c.isInteger(32) &&
      isWidenedProduct<arith::AddIOp, arith::MulIOp, arith::ExtUIOp,
                       arith::ExtSIOp>(body))
    return 4;
  if (a.isBF16() && b.isBF16() && c.isF32() &&
      isWidenedProduct<arith::AddFOp, arith::MulFOp, arith::ExtFOp,
                       arith::ExtFOp>(body))
    return 2;
  return 0;
}

/// A dot-product contraction (dotGroup: u8 x s8 -> i32 in groups of four K
/// values, bf16 x bf16 -> f32 in groups of two) with a constant B reads B
/// in the dot-product layout: panels of NR columns, each column's G
/// consecutive K values adjacent, so that one 64-byte load holds G K steps
/// of 16 columns and one `vpdpbusd` / `vdpbf16ps` multiplies them by the G
/// values of a row of A broadcast to every lane.
/// Loops (m, n1, n0, k1, k0): A[m, k1, k0] (A viewed as [M][K/G][G], K
/// padded with zeros), B[n1, k1, n0, k0], C[m, n1, n0].
struct PackConstantDotWeights final
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  PackConstantDotWeights(MLIRContext *ctx, int64_t nr, bool bytes, bool bf16)
      : OpInterfaceRewritePattern(ctx, /*benefit=*/2), nr(nr), bytes(bytes),
        bf16(bf16) {}

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    int64_t kGroup = dotGroup(op);
    if (!(kGroup == 4 && bytes) && !(kGroup == 2 && bf16))
      return rewriter.notifyMatchFailure(op, "no dot-product instruction for "
                                             "this body on the target");
    FailureOr<ConstantRhsProduct> product =
        matchConstantRhsProduct(op, &rewriter);
    if (failed(product))
      return failure();
    ElementsAttr value = product->value;
    bool transposed = product->transposed;
    Value lhs = op.getDpsInputOperand(0)->get();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    if (!lhsType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    auto bType = cast<ShapedType>(value.getType());
    int64_t columns = bType.getDimSize(transposed ? 0 : 1);
    int64_t depth = bType.getDimSize(transposed ? 1 : 0);
    int64_t width =
        (columns % nr != 0 && columns % (nr / 2) == 0) ? nr / 2 : nr;
    FailureOr<ElementsAttr> packed =
        packDotPanelsConstant(value, transposed, width, kGroup);
    if (failed(packed))
      return rewriter.notifyMatchFailure(op, "B cannot be packed");

    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    int64_t rows = lhsType.getDimSize(0);
    int64_t groups = llvm::divideCeil(depth, kGroup);
    // A as [M][K/4][4]: padded with zeros (which add nothing) to whole
    // groups of four.
    if (groups * kGroup != depth) {
      Value zero = arith::ConstantOp::create(
          rewriter, loc, rewriter.getZeroAttr(lhsType.getElementType()));
      lhs = tensor::PadOp::create(
          rewriter, loc, lhsType.clone({rows, groups * kGroup}), lhs,
          ArrayRef<OpFoldResult>{index(0), index(0)},
          ArrayRef<OpFoldResult>{index(0), index(groups * kGroup - depth)},
          zero);
    }
    lhs = tensor::ExpandShapeOp::create(
        rewriter, loc, lhsType.clone({rows, groups, kGroup}), lhs,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}},
        ArrayRef<OpFoldResult>{index(rows), index(groups), index(kGroup)});

    int64_t panels = cast<ShapedType>(packed->getType()).getDimSize(0);
    int64_t paddedCols = panels * width;
    Value init = op.getDpsInitOperand(0)->get();
    auto initType = cast<RankedTensorType>(init.getType());
    if (!initType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    int64_t cols = initType.getDimSize(1);
    if (cols != paddedCols) {
      Value zero = arith::ConstantOp::create(
          rewriter, loc, rewriter.getZeroAttr(initType.getElementType()));
      init = tensor::PadOp::create(
          rewriter, loc, initType.clone({rows, paddedCols}), init,
          ArrayRef<OpFoldResult>{index(0), index(0)},
          ArrayRef<OpFoldResult>{index(0), index(paddedCols - cols)}, zero);
    }
    auto viewType = initType.clone({rows, panels, width});
    Value view = tensor::ExpandShapeOp::create(
        rewriter, loc, viewType, init,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}},
        ArrayRef<OpFoldResult>{index(rows), index(panels), index(width)});
    Value weights = arith::ConstantOp::create(rewriter, loc, *packed);
    auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> newMaps = {
        AffineMap::get(5, 0, {dim(0), dim(3), dim(4)}, ctx),
        AffineMap::get(5, 0, {dim(1), dim(3), dim(2), dim(4)}, ctx),
        AffineMap::get(5, 0, {dim(0), dim(1), dim(2)}, ctx)};
    SmallVector<utils::IteratorType> iterators(5,
                                               utils::IteratorType::parallel);
    iterators[3] = iterators[4] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(rewriter, loc, TypeRange{viewType},
                                             ValueRange{lhs, weights}, view,
                                             newMaps, iterators);
    rewriter.cloneRegionBefore(op->getRegion(0), generic.getRegion(),
                               generic.getRegion().begin());
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, generic.getResult(0),
        ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    if (cols != paddedCols)
      result = tensor::ExtractSliceOp::create(
          rewriter, loc, result, ArrayRef<OpFoldResult>{index(0), index(0)},
          ArrayRef<OpFoldResult>{index(rows), index(cols)},
          ArrayRef<OpFoldResult>{index(1), index(1)});
    if (result.getType() != op->getResult(0).getType())
      result = tensor::CastOp::create(rewriter, loc, op->getResult(0).getType(),
                                      result);
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  int64_t nr;
  bool bytes, bf16;
};

/// A 1x1 convolution in NHWC with a constant filter is a matrix product:
/// [N*OH*OW, C] x [C, F] (a strided one first takes every s-th pixel), which
/// then gets the packed-panel kernel.
struct PointwiseConvToMatmul final
    : OpRewritePattern<linalg::Conv2DNhwcHwcfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::Conv2DNhwcHwcfOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInputs()[0], filter = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    auto inputType = cast<RankedTensorType>(input.getType());
    auto filterType = cast<RankedTensorType>(filter.getType());
    auto outType = cast<RankedTensorType>(init.getType());
    if (!op.hasPureTensorSemantics() || !filterType.hasStaticShape() ||
        filterType.getDimSize(0) != 1 || filterType.getDimSize(1) != 1)
      return rewriter.notifyMatchFailure(op, "not a 1x1 convolution");
    if (!inputType.hasStaticShape() || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    auto constant = filter.getDefiningOp<arith::ConstantOp>();
    if (!constant)
      return rewriter.notifyMatchFailure(op, "filter is not a constant");
    auto value = dyn_cast<ElementsAttr>(constant.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "filter is not elements");
    SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
    Location loc = op.getLoc();
    int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
            ow = outType.getDimSize(2), f = outType.getDimSize(3);
    int64_t c = inputType.getDimSize(3);
    // Every s-th pixel: a strided slice (copied), else the input as it is.
    Value pixels = input;
    if (strides[0] != 1 || strides[1] != 1 || inputType.getDimSize(1) != oh ||
        inputType.getDimSize(2) != ow) {
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = {
          rewriter.getIndexAttr(n), rewriter.getIndexAttr(oh),
          rewriter.getIndexAttr(ow), rewriter.getIndexAttr(c)};
      SmallVector<OpFoldResult> steps = {
          rewriter.getIndexAttr(1), rewriter.getIndexAttr(strides[0]),
          rewriter.getIndexAttr(strides[1]), rewriter.getIndexAttr(1)};
      pixels = tensor::ExtractSliceOp::create(rewriter, loc, input, offsets,
                                              sizes, steps);
    }
    int64_t m = n * oh * ow;
    SmallVector<ReassociationIndices> toRows = {{0, 1, 2}, {3}};
    Value lhs = tensor::CollapseShapeOp::create(rewriter, loc, pixels, toRows);
    Value acc = tensor::CollapseShapeOp::create(rewriter, loc, init, toRows);
    // The 1 x 1 x C x F filter as C x F: the same bytes.
    auto matrixType = filterType.clone({c, f});
    ElementsAttr matrix;
    if (auto dense = dyn_cast<DenseElementsAttr>(value))
      matrix = dense.reshape(matrixType);
    else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
      const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob)
        return rewriter.notifyMatchFailure(op, "filter has no data");
      matrix = DenseResourceElementsAttr::get(
          matrixType, "filter",
          HeapAsmResourceBlob::allocateAndCopyWithAlign(blob->getData(), 64));
    } else {
      return rewriter.notifyMatchFailure(op, "unsupported filter constant");
    }
    Value rhs = arith::ConstantOp::create(rewriter, loc, matrix);
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get({m, f}, outType.getElementType())},
        ValueRange{lhs, rhs}, acc);
    forwardLayout(op, matmul);
    Value product = matmul.getResult(0);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outType, product, toRows,
        ArrayRef<OpFoldResult>{
            rewriter.getIndexAttr(n), rewriter.getIndexAttr(oh),
            rewriter.getIndexAttr(ow), rewriter.getIndexAttr(f)});
    return success();
  }
};

/// The operands of a convolution on static shapes whose filter is a
/// constant, which the patterns below re-lay at compile time.
struct ConstantFilterConv {
  Value input, init;
  RankedTensorType inputType, filterType, outType;
  ElementsAttr value;
};

static FailureOr<ConstantFilterConv>
matchConstantFilterConv(linalg::LinalgOp op, PatternRewriter *rewriter) {
  auto notify = [&](const char *why) -> FailureOr<ConstantFilterConv> {
    if (rewriter)
      return rewriter->notifyMatchFailure(op, why);
    return failure();
  };
  ConstantFilterConv conv;
  conv.input = op.getDpsInputs()[0];
  Value filter = op.getDpsInputs()[1];
  conv.init = op.getDpsInits()[0];
  conv.inputType = cast<RankedTensorType>(conv.input.getType());
  conv.filterType = cast<RankedTensorType>(filter.getType());
  conv.outType = cast<RankedTensorType>(conv.init.getType());
  if (!op.hasPureTensorSemantics() || !conv.inputType.hasStaticShape() ||
      !conv.filterType.hasStaticShape() || !conv.outType.hasStaticShape())
    return notify("dynamic shapes");
  auto constant = filter.getDefiningOp<arith::ConstantOp>();
  conv.value =
      constant ? dyn_cast<ElementsAttr>(constant.getValue()) : ElementsAttr();
  if (!conv.value)
    return notify("filter is not a constant");
  return conv;
}

/// Whether `conv` computes one group of a split grouped convolution: its
/// input and accumulator are strided slices of the whole.
static bool isGroupSlice(const ConstantFilterConv &conv) {
  return conv.input.getDefiningOp<tensor::ExtractSliceOp>() ||
         conv.init.getDefiningOp<tensor::ExtractSliceOp>();
}

/// The im2col matrix of an NHWC convolution: [N*OH*OW, KH*KW*C] with
/// col[n, oh, ow, (kh, kw, c)] = input[n, oh*s + kh*d, ow*s + kw*d, c].
/// It is one elementwise generic over col that gathers from the input
/// (`tensor.extract` at the window's indices): its own schedule splits it
/// over threads and copies vectors along C, and it writes col in order.
/// With `depth` larger than KH*KW*C the rows end in zeros up to `depth`
/// (the dot-product kernels read K in groups): the gather then writes a
/// column block per tap by a strided copy instead, and a fill the tail. A
/// 1x1 window of stride 1 is the input itself, viewed as a matrix.
static Value im2col(PatternRewriter &rewriter, Location loc, Value input,
                    ArrayRef<int64_t> outShape, int64_t kh, int64_t kw,
                    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                    int64_t depth = 0) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t n = outShape[0], oh = outShape[1], ow = outShape[2];
  int64_t c = inputType.getDimSize(3);
  int64_t k = kh * kw * c;
  depth = std::max(depth, k);
  Type element = inputType.getElementType();
  auto index = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  if (kh == 1 && kw == 1 && strides[0] == 1 && strides[1] == 1 &&
      inputType.getDimSize(1) == oh && inputType.getDimSize(2) == ow &&
      depth == k)
    return tensor::CollapseShapeOp::create(
        rewriter, loc, input, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  if (depth == k) {
    auto colType = RankedTensorType::get({n, oh, ow, kh, kw, c}, element);
    Value empty =
        tensor::EmptyOp::create(rewriter, loc, colType.getShape(), element);
    Value col =
        linalg::GenericOp::create(
            rewriter, loc, colType, ValueRange{}, empty,
            rewriter.getMultiDimIdentityMap(6),
            SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
            [&](OpBuilder &b, Location l, ValueRange) {
              auto at = [&](int64_t dim) -> Value {
                return linalg::IndexOp::create(b, l, dim);
              };
              auto scaled = [&](Value v, int64_t factor) -> Value {
                if (factor == 1)
                  return v;
                return arith::MulIOp::create(
                    b, l, v, arith::ConstantIndexOp::create(b, l, factor));
              };
              Value h = arith::AddIOp::create(b, l, scaled(at(1), strides[0]),
                                              scaled(at(3), dilations[0]));
              Value w = arith::AddIOp::create(b, l, scaled(at(2), strides[1]),
                                              scaled(at(4), dilations[1]));
              Value v = tensor::ExtractOp::create(
                  b, l, input, ValueRange{at(0), h, w, at(5)});
              linalg::YieldOp::create(b, l, v);
            })
            .getResult(0);
    return tensor::CollapseShapeOp::create(
        rewriter, loc, col,
        ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
  }
  Value col = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{n, oh, ow, depth}, element);
  SmallVector<OpFoldResult> ones(4, index(1));
  // Writes `value` ([n, oh, ow, width]) at column `offset` of the rows.
  auto insert = [&](int64_t offset, int64_t width,
                    function_ref<Value(Value)> fill) {
    SmallVector<OpFoldResult> offsets = {index(0), index(0), index(0),
                                         index(offset)};
    SmallVector<OpFoldResult> sizes = {index(n), index(oh), index(ow),
                                       index(width)};
    Value slice = tensor::ExtractSliceOp::create(rewriter, loc, col, offsets,
                                                 sizes, ones);
    col = tensor::InsertSliceOp::create(rewriter, loc, fill(slice), col,
                                        offsets, sizes, ones);
  };
  for (int64_t i = 0; i < kh; ++i)
    for (int64_t j = 0; j < kw; ++j) {
      Value window = tensor::ExtractSliceOp::create(
          rewriter, loc, input,
          ArrayRef<OpFoldResult>{index(0), index(i * dilations[0]),
                                 index(j * dilations[1]), index(0)},
          ArrayRef<OpFoldResult>{index(n), index(oh), index(ow), index(c)},
          ArrayRef<OpFoldResult>{index(1), index(strides[0]), index(strides[1]),
                                 index(1)});
      insert((i * kw + j) * c, c, [&](Value tap) {
        return linalg::CopyOp::create(rewriter, loc, window, tap).getResult(0);
      });
    }
  insert(k, depth - k, [&](Value tail) {
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(element));
    return linalg::FillOp::create(rewriter, loc, zero, tail).getResult(0);
  });
  return tensor::CollapseShapeOp::create(
      rewriter, loc, col, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
}

/// Whether `conv` (KxK) has a filter count no vector tile divides (not a
/// multiple of four): the direct convolution then has no schedule and runs
/// as scalar loops; the packed GEMM pads its panels (an STFT as a
/// 258-filter convolution took 0.19 ms). Not for one group of a split
/// grouped convolution (its input and accumulator are strided slices: the
/// im2col of those gave wrong results on PyTorch's depthwise convolution
/// with a channel multiplier).
static bool isUntileable(const ConstantFilterConv &conv) {
  int64_t kh = conv.filterType.getDimSize(0),
          kw = conv.filterType.getDimSize(1);
  return conv.outType.getDimSize(3) % 4 != 0 && kh * kw > 1 &&
         !isGroupSlice(conv);
}

/// Whether the model turns `conv` into its im2col matrix times the filter
/// (see LargeFilterConvToIm2col): the im2col matrix (KH * KW copies of the
/// image) must cost less than streaming the filter badly.
static bool modelIm2col(const ConstantFilterConv &conv, int64_t l2Bytes) {
  RankedTensorType filterType = conv.filterType, outType = conv.outType;
  int64_t kh = filterType.getDimSize(0), kw = filterType.getDimSize(1),
          c = filterType.getDimSize(2), f = filterType.getDimSize(3);
  int64_t bytes = filterType.getElementTypeBitWidth() / 8;
  int64_t imageBytes = bytes * outType.getDimSize(0) * outType.getDimSize(1) *
                       outType.getDimSize(2) * c;
  int64_t filterBytes = bytes * kh * kw * c * f;
  if (isUntileable(conv))
    return true;
  return filterBytes > kh * kw * imageBytes && filterBytes > l2Bytes / 2 &&
         !(kh == 1 && kw == 1);
}

/// A convolution whose filter is larger than its im2col matrix and than
/// half of L2
/// (the last layers of a CNN: small images, filters of megabytes) reads the
/// filter badly in HWCF: the 32 output channels of a step sit a whole row of
/// F apart from the next input channel's. As an im2col matrix times the
/// filter it becomes a packed GEMM, whose panels are contiguous; the im2col
/// copies are small there (KH * KW strided slices of a small image).
/// With `halfDot` (a target with bf16 dot products), every bf16 convolution
/// takes this form, K padded to whole pairs: the dot-product kernel is the
/// only one that multiplies bf16 at twice the f32 rate. So does a
/// convolution whose filter count has no vector tile.
struct LargeFilterConvToIm2col final
    : OpRewritePattern<linalg::Conv2DNhwcHwcfOp> {
  LargeFilterConvToIm2col(MLIRContext *ctx, int64_t l2Bytes, bool halfDot)
      : OpRewritePattern(ctx), l2Bytes(l2Bytes), halfDot(halfDot) {}

  LogicalResult matchAndRewrite(linalg::Conv2DNhwcHwcfOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<ConstantFilterConv> conv = matchConstantFilterConv(op, &rewriter);
    if (failed(conv))
      return failure();
    Value input = conv->input, init = conv->init;
    RankedTensorType filterType = conv->filterType, outType = conv->outType;
    ElementsAttr value = conv->value;
    int64_t n = outType.getDimSize(0), oh = outType.getDimSize(1),
            ow = outType.getDimSize(2), f = outType.getDimSize(3);
    int64_t kh = filterType.getDimSize(0), kw = filterType.getDimSize(1),
            c = filterType.getDimSize(2);
    bool half = halfDot && filterType.getElementType().isBF16() &&
                outType.getElementType().isF32();
    std::optional<WeightLayout> forced = getForcedWeightLayout(op);
    if (forced ? !forced->im2col : !half && !modelIm2col(*conv, l2Bytes))
      return rewriter.notifyMatchFailure(op, "the filter fits the kernel's "
                                             "reads as it is");
    SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
    SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
    Location loc = op.getLoc();
    auto index = [&](int64_t v) { return rewriter.getIndexAttr(v); };
    int64_t m = n * oh * ow, k = kh * kw * c;
    int64_t depth = half ? llvm::alignTo(k, 2) : k;
    // The HWCF filter is already (kh, kw, c) x f row-major.
    FailureOr<ElementsAttr> matrix =
        reshapeConstant(value, filterType.clone({k, f}));
    if (succeeded(matrix) && depth != k)
      matrix = padRowsConstant(*matrix, depth);
    if (failed(matrix))
      return rewriter.notifyMatchFailure(op, "unsupported filter constant");
    Value lhs = im2col(rewriter, loc, input, outType.getShape(), kh, kw,
                       strides, dilations, depth);
    SmallVector<ReassociationIndices> toRows = {{0, 1, 2}, {3}};
    Value acc = tensor::CollapseShapeOp::create(rewriter, loc, init, toRows);
    Value rhs = arith::ConstantOp::create(rewriter, loc, *matrix);
    auto matmul = linalg::MatmulOp::create(
        rewriter, loc,
        TypeRange{RankedTensorType::get({m, f}, outType.getElementType())},
        ValueRange{lhs, rhs}, acc);
    forwardLayout(op, matmul);
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outType, matmul.getResult(0), toRows,
        ArrayRef<OpFoldResult>{index(n), index(oh), index(ow), index(f)});
    return success();
  }

private:
  int64_t l2Bytes;
  bool halfDot;
};

/// `expr` as `d[out] * stride + d[tap] * dilation`.
static std::optional<std::pair<int64_t, int64_t>>
strideAndDilation(AffineExpr expr, unsigned out, unsigned tap) {
  int64_t stride = 0, dilation = 0;
  auto term = [&](AffineExpr t) {
    int64_t coefficient = 1;
    if (auto mul = dyn_cast<AffineBinaryOpExpr>(t);
        mul && mul.getKind() == AffineExprKind::Mul) {
      auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
      if (!c)
        return false;
      coefficient = c.getValue();
      t = mul.getLHS();
    }
    auto d = dyn_cast<AffineDimExpr>(t);
    if (!d || coefficient <= 0)
      return false;
    if (d.getPosition() == out && !stride)
      stride = coefficient;
    else if (d.getPosition() == tap && !dilation)
      dilation = coefficient;
    else
      return false;
    return true;
  };
  auto add = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!add || add.getKind() != AffineExprKind::Add || !term(add.getLHS()) ||
      !term(add.getRHS()) || !stride || !dilation)
    return std::nullopt;
  return std::make_pair(stride, dilation);
}

/// An int8 convolution written as a generic (the int8 lowering's: loops
/// (n, oh, ow, f, kh, kw, c), NHWC input, HWCF constant filter, body
/// `acc + extui(x) * extsi(w)`) becomes its im2col matrix times the filter,
/// a matrix product with the same body, which then takes the dot-product
/// panel form: one integer micro-kernel for every convolution.
struct IntegerConvToIm2col final : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumLoops() != 7 ||
        op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
        op.getNumReductionLoops() != 3 || dotGroup(op) != 4)
      return rewriter.notifyMatchFailure(op, "not an integer convolution");
    MLIRContext *ctx = op.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    for (unsigned i = 0; i < 7; ++i)
      if ((iterators[i] == utils::IteratorType::reduction) != (i >= 4))
        return rewriter.notifyMatchFailure(op, "loops are not (n, oh, ow, f, "
                                               "kh, kw, c)");
    AffineMap in = maps[0];
    if (maps[1] != AffineMap::get(7, 0, {d(4), d(5), d(6), d(3)}, ctx) ||
        maps[2] != AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx) ||
        in.getNumResults() != 4 || in.getResult(0) != d(0) ||
        in.getResult(3) != d(6))
      return rewriter.notifyMatchFailure(op, "not NHWC / HWCF");
    auto h = strideAndDilation(in.getResult(1), 1, 4);
    auto w = strideAndDilation(in.getResult(2), 2, 5);
    if (!h || !w)
      return rewriter.notifyMatchFailure(op, "input rows are not strided");
    Value input = op.getDpsInputs()[0], init = op.getDpsInits()[0];
    auto filter = op.getDpsInputs()[1].getDefiningOp<arith::ConstantOp>();
    auto value =
        filter ? dyn_cast<ElementsAttr>(filter.getValue()) : ElementsAttr();
    auto outType = cast<RankedTensorType>(init.getType());
    auto filterType = value ? cast<ShapedType>(value.getType()) : ShapedType();
    if (!value || !filterType.hasStaticShape() || !outType.hasStaticShape() ||
        !cast<RankedTensorType>(input.getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "filter not constant or dynamic");
    Location loc = op.getLoc();
    int64_t kh = filterType.getDimSize(0), kw = filterType.getDimSize(1),
            c = filterType.getDimSize(2), f = filterType.getDimSize(3);
    // K in whole groups of four bytes, the padding zeros in both operands.
    int64_t depth = llvm::alignTo(kh * kw * c, 4);
    Value lhs = im2col(rewriter, loc, input, outType.getShape(), kh, kw,
                       {h->first, w->first}, {h->second, w->second}, depth);
    FailureOr<ElementsAttr> matrix = reshapeConstant(
        value,
        RankedTensorType::get({kh * kw * c, f}, filterType.getElementType()));
    if (succeeded(matrix) && depth != kh * kw * c)
      matrix = padRowsConstant(*matrix, depth);
    if (failed(matrix))
      return rewriter.notifyMatchFailure(op, "unsupported filter constant");
    Value rhs = arith::ConstantOp::create(rewriter, loc, *matrix);
    SmallVector<ReassociationIndices> toRows = {{0, 1, 2}, {3}};
    Value acc = tensor::CollapseShapeOp::create(rewriter, loc, init, toRows);
    auto matmul = linalg::GenericOp::create(
        rewriter, loc, TypeRange{acc.getType()}, ValueRange{lhs, rhs}, acc,
        SmallVector<AffineMap>{AffineMap::get(3, 0, {d(0), d(2)}, ctx),
                               AffineMap::get(3, 0, {d(2), d(1)}, ctx),
                               AffineMap::get(3, 0, {d(0), d(1)}, ctx)},
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                         utils::IteratorType::parallel,
                                         utils::IteratorType::reduction});
    rewriter.cloneRegionBefore(op.getRegion(), matmul.getRegion(),
                               matmul.getRegion().begin());
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, outType, matmul.getResult(0), toRows,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(outType.getDimSize(0)),
                               rewriter.getIndexAttr(outType.getDimSize(1)),
                               rewriter.getIndexAttr(outType.getDimSize(2)),
                               rewriter.getIndexAttr(f)});
    return success();
  }
};

/// conv_2d_nhwgc_gfhwc with a constant filter -> per group g:
///   out[:, :, :, g, :] = conv_2d_nhwc_hwcf(in[:, :, :, g, :], filter[g])
/// with the group's filter re-laid to HWCF at compile time. Each group's
/// convolution updates its slice of the accumulator in place (extract, then
/// insert into the same tensor), so bufferization writes one buffer.
struct SplitGroupedConv final : OpRewritePattern<linalg::Conv2DNhwgcGfhwcOp> {
  SplitGroupedConv(MLIRContext *ctx, int64_t maxGroups)
      : OpRewritePattern(ctx), maxGroups(maxGroups) {}

  LogicalResult matchAndRewrite(linalg::Conv2DNhwgcGfhwcOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<ConstantFilterConv> conv = matchConstantFilterConv(op, &rewriter);
    if (failed(conv))
      return failure();
    Value input = conv->input, init = conv->init;
    RankedTensorType inputType = conv->inputType, filterType = conv->filterType,
                     outType = conv->outType;
    ElementsAttr value = conv->value;
    int64_t groups = filterType.getDimSize(0);
    if (groups > maxGroups)
      return rewriter.notifyMatchFailure(op, "too many groups to unroll");
    // GFHWC: G x F/G x KH x KW x C/G; NHWGC: N x H x W x G x C/G.
    int64_t fg = filterType.getDimSize(1), cg = filterType.getDimSize(4);
    int64_t n = inputType.getDimSize(0), h = inputType.getDimSize(1),
            w = inputType.getDimSize(2);
    int64_t oh = outType.getDimSize(1), ow = outType.getDimSize(2);
    Location loc = op.getLoc();
    auto index = [&](int64_t v) -> OpFoldResult {
      return rewriter.getIndexAttr(v);
    };
    SmallVector<OpFoldResult> ones(5, index(1));
    SmallVector<ElementsAttr> filters;
    for (int64_t g = 0; g < groups; ++g) {
      FailureOr<ElementsAttr> fhwc = sliceConstant(value, g);
      FailureOr<ElementsAttr> hwcf =
          succeeded(fhwc) ? transposeConstant(*fhwc, {1, 2, 3, 0})
                          : FailureOr<ElementsAttr>(failure());
      if (failed(hwcf))
        return rewriter.notifyMatchFailure(op, "unsupported filter constant");
      filters.push_back(*hwcf);
    }
    Value result = init;
    Type element = outType.getElementType();
    for (int64_t g = 0; g < groups; ++g) {
      Value in = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({n, h, w, cg}, element), input,
          ArrayRef<OpFoldResult>{index(0), index(0), index(0), index(g),
                                 index(0)},
          ArrayRef<OpFoldResult>{index(n), index(h), index(w), index(1),
                                 index(cg)},
          ones);
      SmallVector<OpFoldResult> accOffsets = {index(0), index(0), index(0),
                                              index(g), index(0)};
      SmallVector<OpFoldResult> accSizes = {index(n), index(oh), index(ow),
                                            index(1), index(fg)};
      auto accType = RankedTensorType::get({n, oh, ow, fg}, element);
      Value acc = tensor::ExtractSliceOp::create(rewriter, loc, accType, result,
                                                 accOffsets, accSizes, ones);
      Value weights = arith::ConstantOp::create(rewriter, loc, filters[g]);
      Value conv =
          linalg::Conv2DNhwcHwcfOp::create(rewriter, loc, TypeRange{accType},
                                           ValueRange{in, weights}, acc,
                                           op.getStrides(), op.getDilations())
              .getResult(0);
      result = tensor::InsertSliceOp::create(rewriter, loc, conv, result,
                                             accOffsets, accSizes, ones);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  int64_t maxGroups;
};

/// Named contractions (linalg.matmul) become generics first, so the packed
/// rewrite has a body to copy.
struct GeneralizeMatmul final : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getDpsInputOperand(1)->get().getDefiningOp<arith::ConstantOp>())
      return rewriter.notifyMatchFailure(op, "B is not a constant");
    std::optional<WeightLayout> forced = getForcedWeightLayout(op);
    FailureOr<linalg::GenericOp> generic =
        linalg::generalizeNamedOp(rewriter, op);
    if (failed(generic))
      return rewriter.notifyMatchFailure(op, "cannot generalize");
    if (forced)
      setForcedWeightLayout(*generic, *forced);
    return success();
  }
};
} // namespace

void mlir::infer::populateSplitGroupedConvPatterns(RewritePatternSet &patterns,
                                                   int64_t maxGroups) {
  patterns.add<SplitGroupedConv>(patterns.getContext(), maxGroups);
}

void mlir::infer::populatePackConstantDotWeightsPatterns(
    RewritePatternSet &patterns, int64_t nr, bool bytes, bool bf16) {
  if (bytes)
    patterns.add<IntegerConvToIm2col>(patterns.getContext());
  patterns.add<PackConstantDotWeights>(patterns.getContext(), nr, bytes, bf16);
}

void mlir::infer::populatePackConstantWeightsPatterns(
    RewritePatternSet &patterns, int64_t nr, int64_t l2Bytes, bool halfDot) {
  patterns.add<PointwiseConvToMatmul, GeneralizeMatmul>(patterns.getContext());
  patterns.add<LargeFilterConvToIm2col>(patterns.getContext(), l2Bytes,
                                        halfDot);
  patterns.add<PackConstantWeights>(patterns.getContext(), nr);
}

//===----------------------------------------------------------------------===//
// Weight layouts
//===----------------------------------------------------------------------===//

std::string WeightLayout::str() const {
  return std::string(im2col ? "im2col, " : "") +
         (panel ? "panels of " + std::to_string(panel) : "unpacked");
}

std::optional<WeightLayout> mlir::infer::getForcedWeightLayout(Operation *op) {
  auto dict = op->getAttrOfType<DictionaryAttr>(kLayoutAttrName);
  if (!dict)
    return std::nullopt;
  auto im2col = dyn_cast_or_null<BoolAttr>(dict.get("im2col"));
  auto panel = dyn_cast_or_null<IntegerAttr>(dict.get("panel"));
  if (!im2col || !panel)
    return std::nullopt;
  return WeightLayout{im2col.getValue(), panel.getInt()};
}

void mlir::infer::setForcedWeightLayout(Operation *op,
                                        const WeightLayout &layout) {
  Builder b(op->getContext());
  op->setAttr(
      kLayoutAttrName,
      b.getDictionaryAttr(
          {b.getNamedAttr("im2col", b.getBoolAttr(layout.im2col)),
           b.getNamedAttr("panel", b.getI64IntegerAttr(layout.panel))}));
}

SmallVector<WeightLayout>
mlir::infer::getWeightLayoutChoices(linalg::LinalgOp op,
                                    const CPUTargetModel &target) {
  // f32 throughout: the integer and bf16 forms have one layout (the
  // dot-product panels).
  auto isF32 = [](Value v) { return getElementTypeOrSelf(v).isF32(); };
  if (!op.hasPureTensorSemantics() || !llvm::all_of(op->getOperands(), isF32))
    return {};
  int64_t nr = 2 * target.f32Lanes();
  SmallVector<WeightLayout> choices;
  auto add = [&](WeightLayout layout) {
    if (!llvm::is_contained(choices, layout))
      choices.push_back(layout);
  };
  // The model's panel width first, then the others.
  auto panels = [&](bool im2col, int64_t columns) {
    add({im2col, modelPanel(columns, nr)});
    add({im2col, nr});
    add({im2col, nr / 2});
  };
  if (isa<linalg::Conv2DNhwcHwcfOp>(op.getOperation())) {
    FailureOr<ConstantFilterConv> matched =
        matchConstantFilterConv(op, /*rewriter=*/nullptr);
    if (failed(matched) || isGroupSlice(*matched))
      return {};
    int64_t kh = matched->filterType.getDimSize(0),
            kw = matched->filterType.getDimSize(1),
            f = matched->filterType.getDimSize(3);
    if (kh == 1 && kw == 1) {
      panels(/*im2col=*/false, f);
      // Unpacked, the matrix product has a schedule when its columns come
      // in whole vectors (else it would run as scalar loops).
      if (f % (nr / 2) == 0)
        add({false, 0});
      return choices;
    }
    bool model = modelIm2col(*matched, target.l2Bytes);
    if (!model)
      add({false, 0});
    panels(/*im2col=*/true, f);
    if (model && !isUntileable(*matched))
      add({false, 0});
    return choices;
  }
  FailureOr<ConstantRhsProduct> product =
      matchConstantRhsProduct(op, /*rewriter=*/nullptr);
  if (failed(product))
    return {};
  auto type = cast<ShapedType>(product->value.getType());
  int64_t columns = type.getDimSize(product->transposed ? 0 : 1);
  panels(/*im2col=*/false, columns);
  // Unpacked, it has a schedule when B's rows run along N in whole vectors.
  if (!product->transposed && columns % (nr / 2) == 0)
    add({false, 0});
  return choices;
}

void mlir::infer::foldConstantTransposes(Operation *root) {
  RewritePatternSet patterns(root->getContext());
  populateFoldConstantTransposePatterns(patterns);
  applyPatternsToFixpoint(root, std::move(patterns),
                          "infer-cpu-pack-weights (transposes)");
}

void mlir::infer::packWeights(Operation *root, const CPUTargetModel &target) {
  MLIRContext *ctx = root->getContext();
  // Two vector registers of f32 per panel row: the micro-kernel's width
  // (one for matrices whose columns come in single vectors).
  int64_t nr = 2 * target.f32Lanes();
  RewritePatternSet patterns(ctx);
  populateFoldConstantTransposePatterns(patterns);
  populateSplitGroupedConvPatterns(patterns);
  populatePackConstantWeightsPatterns(patterns, nr, target.l2Bytes,
                                      target.hasBF16);
  if (target.hasVNNI || target.hasBF16)
    populatePackConstantDotWeightsPatterns(patterns, nr, target.hasVNNI,
                                           target.hasBF16);
  applyPatternsToFixpoint(root, std::move(patterns), "infer-cpu-pack-weights");
  // The packed and im2col forms put reshapes between a contraction and
  // its elementwise consumers: they move, so that the consumers can run
  // as its epilogue.
  for (bool expand : {false, true}) {
    RewritePatternSet epilogues(ctx);
    populateEpilogueReshapePatterns(epilogues, expand);
    // fill(expand_shape(empty)) rather than expand_shape(fill(empty)): the
    // fill then starts the accumulator inside the contraction's tiles.
    linalg::FillOp::getCanonicalizationPatterns(epilogues, ctx);
    applyPatternsToFixpoint(root, std::move(epilogues),
                            "infer-cpu-pack-weights (epilogues)");
  }
  // A layout that left B unpacked stays on its op: done with it.
  root->walk([](Operation *op) { op->removeAttr(kLayoutAttrName); });
}

namespace {
struct CPUPackWeightsPass final
    : infer::impl::CPUPackWeightsPassBase<CPUPackWeightsPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    return TuningDatabase::loadOption(ctx, tuningDb, database);
  }

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    // Only the database forces layouts: an attribute in the input is not
    // ours to trust (it may name a panel of no use or none at all).
    getOperation().walk([](Operation *op) { op->removeAttr(kLayoutAttrName); });
    // The layout tasks were keyed with constant transposes folded.
    foldConstantTransposes(getOperation());
    if (database && failed(applyDatabase(target)))
      return signalPassFailure();
    packWeights(getOperation(), target);
  }

  /// Forces the database's layout on each op that has a record.
  LogicalResult applyDatabase(const CPUTargetModel &target) {
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    WalkResult walk = getOperation().walk([&](linalg::LinalgOp op) {
      SmallVector<WeightLayout> choices = getWeightLayoutChoices(op, target);
      if (choices.size() < 2)
        return WalkResult::advance();
      std::string what = describeLinalgOp(op);
      const TuningDatabase::LayoutRecord *entry =
          database->lookupLayout(getLayoutKey(op, target, count));
      if (!entry) {
        if (report)
          op->emitRemark("infer-tile-report: ")
              << what << ": weights " << choices.front().str()
              << "; no layout entry in the tuning database; model's layout";
        return WalkResult::advance();
      }
      if (!llvm::is_contained(choices, entry->layout)) {
        InFlightDiagnostic diag =
            op->emitOpError("stale tuning database '")
            << database->getPath() << "': the weight layout of this task ("
            << entry->layout.str() << ") does not fit the op (its layouts: ";
        llvm::interleaveComma(choices, diag, [&](const WeightLayout &layout) {
          diag << layout.str();
        });
        diag << "); tune again with infer-tune";
        return WalkResult::interrupt();
      }
      setForcedWeightLayout(op, entry->layout);
      if (report)
        op->emitRemark("infer-tile-report: ")
            << what << ": weights " << entry->layout.str()
            << llvm::formatv("; tuned layout: measured {0:F4} ms, model's "
                             "layout ({1}) {2:F4} ms",
                             entry->tunedMs, choices.front().str(),
                             entry->modelMs)
                   .str();
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }

private:
  /// Shared by the clones of the pass that run on other functions.
  std::shared_ptr<TuningDatabase> database;
};
} // namespace
