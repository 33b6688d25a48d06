//===- Npy.h - read and write numpy .npy files ------------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The .npy format (versions 1-3, C order) for the element types models use:
// float16/32/64, int8/16/32/64, uint8 and bool.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_SUPPORT_NPY_H
#define INFER_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::infer {

/// The element types of .npy files we read and write. bfloat16 has no numpy
/// dtype: like ONNX's test data it travels as its raw bits, "<u2".
/// bf16 has no numpy dtype: it is exchanged as its bits, "<u2", which a
/// uint16 array also reads as (infer-run reads it as the entry expects).
enum class NpyDType {
  F16,
  BF16,
  F32,
  F64,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64,
  Bool
};

/// The numpy `descr` string of a dtype ("<f4"...).
llvm::StringRef npyDescr(NpyDType dtype);
/// Bytes per element.
size_t npyElementSize(NpyDType dtype);

/// A dense C-order array.
struct NpyArray {
  NpyDType dtype = NpyDType::F32;
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> data; // numElements() * npyElementSize(dtype) bytes

  int64_t numElements() const;
  /// Element `i` (row-major) converted to double.
  double get(int64_t i) const;
};

/// Parses .npy bytes; the error names what is wrong.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes);
/// Reads a .npy file.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);
/// Serializes an array as .npy (version 1.0).
std::string serializeNpy(const NpyArray &array);
/// Writes a .npy file.
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace mlir::infer

#endif // INFER_SUPPORT_NPY_H
