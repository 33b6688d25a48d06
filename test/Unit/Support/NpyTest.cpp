//===- NpyTest.cpp - .npy reading and writing -----------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Support/Npy.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <vector>

using namespace mlir::infer;

namespace {

NpyArray makeArray(NpyDType dtype, llvm::ArrayRef<int64_t> shape) {
  NpyArray array;
  array.dtype = dtype;
  array.shape.assign(shape.begin(), shape.end());
  array.data.resize(array.numElements() * npyElementSize(dtype));
  for (size_t i = 0; i < array.data.size(); ++i)
    array.data[i] = static_cast<uint8_t>(i * 7 + 3);
  return array;
}

TEST(Npy, RoundTripsEveryDTypeAndRank) {
  for (NpyDType dtype :
       {NpyDType::F16, NpyDType::BF16, NpyDType::F32, NpyDType::F64,
        NpyDType::I8, NpyDType::I16, NpyDType::I32, NpyDType::I64, NpyDType::U8,
        NpyDType::U32, NpyDType::U64, NpyDType::Bool}) {
    const std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3}, {0, 4}};
    for (const std::vector<int64_t> &shape : shapes) {
      NpyArray array = makeArray(dtype, shape);
      std::string bytes = serializeNpy(array);
      // The header is padded so that the data is 64-byte aligned.
      EXPECT_EQ((bytes.size() - array.data.size()) % 64, 0u);
      llvm::Expected<NpyArray> parsed = parseNpy(bytes);
      ASSERT_TRUE(static_cast<bool>(parsed))
          << llvm::toString(parsed.takeError());
      EXPECT_EQ(parsed->dtype, dtype);
      EXPECT_EQ(parsed->shape, array.shape);
      EXPECT_EQ(parsed->data, array.data);
    }
  }
}

TEST(Npy, ReadsNumpysOwnHeader) {
  // What numpy 1.x/2.x writes for np.array([[1.5, -2.0]], np.float32).
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  float values[] = {1.5f, -2.0f};
  bytes.append(reinterpret_cast<const char *>(values), sizeof(values));
  llvm::Expected<NpyArray> parsed = parseNpy(bytes);
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->shape, (llvm::SmallVector<int64_t>{1, 2}));
  EXPECT_EQ(parsed->get(0), 1.5);
  EXPECT_EQ(parsed->get(1), -2.0);
}

TEST(Npy, BFloat16TravelsAsRawBits) {
  NpyArray array = makeArray(NpyDType::BF16, {2});
  uint16_t bits[] = {0x3F80 /*1*/, 0xC0A0 /*-5*/};
  std::memcpy(array.data.data(), bits, sizeof(bits));
  EXPECT_EQ(array.get(0), 1.0);
  EXPECT_EQ(array.get(1), -5.0);
  EXPECT_NE(serializeNpy(array).find("'<u2'"), std::string::npos);
}

TEST(Npy, HalfPrecisionDecodes) {
  NpyArray array = makeArray(NpyDType::F16, {3});
  uint16_t halves[] = {0x3C00 /*1*/, 0xC000 /*-2*/, 0x0001 /*2^-24*/};
  std::memcpy(array.data.data(), halves, sizeof(halves));
  EXPECT_EQ(array.get(0), 1.0);
  EXPECT_EQ(array.get(1), -2.0);
  EXPECT_EQ(array.get(2), std::ldexp(1.0, -24));
}

std::string errorOf(llvm::StringRef bytes) {
  llvm::Expected<NpyArray> parsed = parseNpy(bytes);
  return parsed ? "" : llvm::toString(parsed.takeError());
}

TEST(Npy, RejectsBadInput) {
  EXPECT_EQ(errorOf("PK\x03\x04 zip"), "not a .npy file (bad magic)");
  NpyArray array = makeArray(NpyDType::F32, {4});
  std::string bytes = serializeNpy(array);
  EXPECT_EQ(errorOf(llvm::StringRef(bytes).drop_back(3)),
            "truncated .npy data: expected 16 bytes, found 13");
  std::string fortran = bytes;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_EQ(errorOf(fortran),
            "only C-order (fortran_order False) arrays are supported");
  std::string complex = bytes;
  complex.replace(complex.find("<f4"), 3, "<c8");
  EXPECT_EQ(errorOf(complex), "unsupported dtype '<c8'");
}
} // namespace
