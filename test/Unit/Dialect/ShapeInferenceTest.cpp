//===- ShapeInferenceTest.cpp - shape rules of the infer ops --------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/ShapeInference.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <string>

using namespace mlir;
using namespace mlir::infer;

namespace {
constexpr int64_t kDyn = ShapedType::kDynamic;
using Range = std::pair<int64_t, int64_t>;

/// Collects the error of a shape rule.
struct ErrorSink {
  std::string message;
  void operator()(const llvm::Twine &msg) { message = msg.str(); }
};

TEST(ShapeInference, BroadcastNumpyRules) {
  ErrorSink err;
  EXPECT_EQ(*broadcastShapes({2, 1, 4}, {3, 1}, err),
            (SmallVector<int64_t>{2, 3, 4}));
  EXPECT_EQ(*broadcastShapes({}, {5}, err), (SmallVector<int64_t>{5}));
  // A dynamic dimension against 1 stays dynamic; against n it becomes n.
  EXPECT_EQ(*broadcastShapes({kDyn, 1}, {1, 7}, err),
            (SmallVector<int64_t>{kDyn, 7}));
  EXPECT_EQ(*broadcastShapes({kDyn}, {3}, err), (SmallVector<int64_t>{3}));
  EXPECT_TRUE(failed(broadcastShapes({2, 3}, {4}, err)));
  EXPECT_EQ(err.message, "shapes [2, 3] and [4] do not broadcast");
}

TEST(ShapeInference, WindowOutputSize) {
  ErrorSink err;
  // 224 input, 7x7 kernel, stride 2, pad 3: ResNet stem -> 112.
  EXPECT_EQ(*windowOutputSize(224, 7, 2, 3, 3, 1, false, err), 112);
  // Dilation 2 makes a 3-tap kernel span 5.
  EXPECT_EQ(*windowOutputSize(10, 3, 1, 0, 0, 2, false, err), 6);
  // (112 - 3) / 2 = 54.5: 55 windows rounded down, 56 with ceil_mode.
  EXPECT_EQ(*windowOutputSize(112, 3, 2, 0, 0, 1, false, err), 55);
  EXPECT_EQ(*windowOutputSize(112, 3, 2, 0, 0, 1, true, err), 56);
  // ... unless the last window would start in the trailing padding.
  EXPECT_EQ(*windowOutputSize(5, 2, 2, 0, 1, 1, true, err), 3);
  EXPECT_EQ(*windowOutputSize(4, 2, 2, 0, 1, 1, true, err), 2);
  EXPECT_EQ(*windowOutputSize(kDyn, 3, 1, 1, 1, 1, false, err), kDyn);
  EXPECT_TRUE(failed(windowOutputSize(2, 5, 1, 0, 0, 1, false, err)));
  EXPECT_EQ(err.message,
            "window of extent 5 does not fit the padded input of size 2");
  EXPECT_TRUE(failed(windowOutputSize(8, 3, 0, 0, 0, 1, false, err)));
  EXPECT_TRUE(failed(windowOutputSize(8, 3, 1, -1, 0, 1, false, err)));
}

TEST(ShapeInference, ReshapeOnnxSemantics) {
  ErrorSink err;
  EXPECT_EQ(*reshapeShape({2, 3, 4}, {0, -1}, err),
            (SmallVector<int64_t>{2, 12}));
  EXPECT_EQ(*reshapeShape({2, 3, 4}, {-1}, err), (SmallVector<int64_t>{24}));
  // A copied dynamic batch cancels, so -1 is still known.
  EXPECT_EQ(*reshapeShape({kDyn, 512, 1, 1}, {0, -1}, err),
            (SmallVector<int64_t>{kDyn, 512}));
  // A dynamic dimension that is not copied makes -1 unknown.
  EXPECT_EQ(*reshapeShape({kDyn, 4}, {-1, 2}, err),
            (SmallVector<int64_t>{kDyn, 2}));
  EXPECT_TRUE(failed(reshapeShape({2, 3}, {-1, -1}, err)));
  EXPECT_EQ(err.message, "shape may contain at most one -1");
  EXPECT_TRUE(failed(reshapeShape({2, 3}, {4, 2}, err)));
  EXPECT_EQ(err.message, "cannot reshape 6 elements into 8");
  EXPECT_TRUE(failed(reshapeShape({2, 3}, {4, -1}, err)));
  EXPECT_TRUE(failed(reshapeShape({6}, {0, 0}, err)));
  EXPECT_TRUE(failed(reshapeShape({6}, {-2, 3}, err)));
}

TEST(ShapeInference, SliceClampsLikeOnnx) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  auto slice = [](int64_t dim, int64_t s, int64_t e, int64_t st) {
    SliceRange r = normalizeSlice(dim, s, e, st);
    return Range(r.start, r.size);
  };
  EXPECT_EQ(slice(10, 1, 3, 1), Range(1, 2));
  EXPECT_EQ(slice(10, 0, kMax, 1), Range(0, 10));
  EXPECT_EQ(slice(10, -3, -1, 1), Range(7, 2));
  EXPECT_EQ(slice(10, 0, 10, 3), Range(0, 4));
  // Negative steps walk backwards; INT64_MIN as end means "through index 0".
  EXPECT_EQ(slice(10, -1, kMin, -1), Range(9, 10));
  EXPECT_EQ(slice(10, 8, 1, -2), Range(8, 4));
  EXPECT_EQ(slice(10, 5, 5, 1), Range(5, 0));
  EXPECT_EQ(slice(10, 20, 30, 1).second, 0);
}

TEST(ShapeInference, MatmulPromotesVectors) {
  ErrorSink err;
  EXPECT_EQ(*matmulShape({2, 3, 4}, {4, 5}, err),
            (SmallVector<int64_t>{2, 3, 5}));
  EXPECT_EQ(*matmulShape({4}, {4, 5}, err), (SmallVector<int64_t>{5}));
  EXPECT_EQ(*matmulShape({3, 4}, {4}, err), (SmallVector<int64_t>{3}));
  EXPECT_EQ(*matmulShape({4}, {4}, err), (SmallVector<int64_t>{}));
  EXPECT_EQ(*matmulShape({kDyn, 1, 3, 4}, {6, 4, 2}, err),
            (SmallVector<int64_t>{kDyn, 6, 3, 2}));
  EXPECT_TRUE(failed(matmulShape({3, 4}, {5, 6}, err)));
  EXPECT_EQ(err.message, "contraction dimensions differ: 4 vs 5");
}

TEST(ShapeInference, NormalizeAxis) {
  ErrorSink err;
  EXPECT_EQ(*normalizeAxis(-1, 4, err), 3);
  EXPECT_EQ(*normalizeAxis(0, 1, err), 0);
  EXPECT_TRUE(failed(normalizeAxis(4, 4, err)));
  EXPECT_EQ(err.message, "axis 4 is out of range for rank 4");
}
} // namespace
