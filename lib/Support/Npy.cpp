//===- Npy.cpp - read and write numpy .npy files --------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>

using namespace mlir::infer;
using llvm::StringRef;

static constexpr StringRef kMagic("\x93NUMPY", 6);

StringRef mlir::infer::npyDescr(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::F16:
    return "<f2";
  case NpyDType::BF16:
    return "<u2";
  case NpyDType::F32:
    return "<f4";
  case NpyDType::F64:
    return "<f8";
  case NpyDType::I8:
    return "|i1";
  case NpyDType::I16:
    return "<i2";
  case NpyDType::I32:
    return "<i4";
  case NpyDType::I64:
    return "<i8";
  case NpyDType::U8:
    return "|u1";
  case NpyDType::U16:
    return "<u2";
  case NpyDType::U32:
    return "<u4";
  case NpyDType::U64:
    return "<u8";
  case NpyDType::Bool:
    return "|b1";
  }
  llvm_unreachable("unknown dtype");
}

size_t mlir::infer::npyElementSize(NpyDType dtype) {
  switch (dtype) {
  case NpyDType::I8:
  case NpyDType::U8:
  case NpyDType::Bool:
    return 1;
  case NpyDType::F16:
  case NpyDType::BF16:
  case NpyDType::I16:
  case NpyDType::U16:
    return 2;
  case NpyDType::F32:
  case NpyDType::I32:
  case NpyDType::U32:
    return 4;
  case NpyDType::F64:
  case NpyDType::I64:
  case NpyDType::U64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// IEEE half to double.
static double halfToDouble(uint16_t h) {
  int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double value;
  if (exponent == 0)
    value = std::ldexp(mantissa, -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = std::ldexp(mantissa + 1024, exponent - 25);
  return sign ? -value : value;
}

double NpyArray::get(int64_t i) const {
  const uint8_t *p = data.data() + i * npyElementSize(dtype);
  auto load = [p](auto value) {
    std::memcpy(&value, p, sizeof(value));
    return value;
  };
  switch (dtype) {
  case NpyDType::F16:
    return halfToDouble(load(uint16_t()));
  case NpyDType::BF16: {
    uint32_t bits = static_cast<uint32_t>(load(uint16_t())) << 16;
    float value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }
  case NpyDType::F32:
    return load(float());
  case NpyDType::F64:
    return load(double());
  case NpyDType::I8:
    return load(int8_t());
  case NpyDType::I16:
    return load(int16_t());
  case NpyDType::I32:
    return load(int32_t());
  case NpyDType::I64:
    return static_cast<double>(load(int64_t()));
  case NpyDType::U8:
  case NpyDType::Bool:
    return load(uint8_t());
  case NpyDType::U16:
    return load(uint16_t());
  case NpyDType::U32:
    return load(uint32_t());
  case NpyDType::U64:
    return static_cast<double>(load(uint64_t()));
  }
  llvm_unreachable("unknown dtype");
}

static llvm::Error npyError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The value text of `'key':` in a numpy header dict.
static std::optional<StringRef> headerValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t at = header.find(quoted);
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

llvm::Expected<NpyArray> mlir::infer::parseNpy(StringRef bytes) {
  if (!bytes.starts_with(kMagic) || bytes.size() < 10)
    return npyError("not a .npy file (bad magic)");
  uint8_t major = bytes[6];
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = uint8_t(bytes[8]) | (uint8_t(bytes[9]) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError("truncated .npy header");
    headerLen = uint32_t(uint8_t(bytes[8])) |
                (uint32_t(uint8_t(bytes[9])) << 8) |
                (uint32_t(uint8_t(bytes[10])) << 16) |
                (uint32_t(uint8_t(bytes[11])) << 24);
    headerStart = 12;
  } else {
    return npyError("unsupported .npy version " + llvm::Twine(int(major)));
  }
  if (bytes.size() < headerStart + headerLen)
    return npyError("truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);

  NpyArray array;
  std::optional<StringRef> descr = headerValue(header, "descr");
  if (!descr || descr->size() < 2)
    return npyError("missing 'descr' in .npy header");
  StringRef d = descr->drop_front(1).split(descr->front()).first;
  static const std::pair<StringRef, NpyDType> kTypes[] = {
      {"<f2", NpyDType::F16}, {"<u2", NpyDType::BF16}, {"<f4", NpyDType::F32},
      {"<f8", NpyDType::F64}, {"|i1", NpyDType::I8},   {"<i2", NpyDType::I16},
      {"<i4", NpyDType::I32}, {"<i8", NpyDType::I64},  {"|u1", NpyDType::U8},
      {"<u4", NpyDType::U32}, {"<u8", NpyDType::U64},  {"|b1", NpyDType::Bool}};
  bool known = false;
  for (auto [name, dtype] : kTypes)
    if (d == name) {
      array.dtype = dtype;
      known = true;
    }
  if (!known)
    return npyError("unsupported dtype '" + d + "'");
  std::optional<StringRef> fortran = headerValue(header, "fortran_order");
  if (!fortran || !fortran->starts_with("False"))
    return npyError("only C-order (fortran_order False) arrays are supported");
  std::optional<StringRef> shapeText = headerValue(header, "shape");
  if (!shapeText || !shapeText->starts_with("("))
    return npyError("missing 'shape' in .npy header");
  StringRef dims = shapeText->drop_front().split(')').first;
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0)
      return npyError("bad dimension '" + part.trim() + "' in .npy shape");
    array.shape.push_back(dim);
  }
  size_t size = array.numElements() * npyElementSize(array.dtype);
  StringRef payload = bytes.drop_front(headerStart + headerLen);
  if (payload.size() < size)
    return npyError("truncated .npy data: expected " + llvm::Twine(size) +
                    " bytes, found " + llvm::Twine(payload.size()));
  array.data.assign(payload.bytes_begin(), payload.bytes_begin() + size);
  return array;
}

llvm::Expected<NpyArray> mlir::infer::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return npyError("cannot read '" + path +
                    "': " + buffer.getError().message());
  llvm::Expected<NpyArray> array = parseNpy((*buffer)->getBuffer());
  if (!array)
    return npyError("'" + path + "': " + llvm::toString(array.takeError()));
  return array;
}

std::string mlir::infer::serializeNpy(const NpyArray &array) {
  std::string shape;
  for (int64_t d : array.shape)
    shape += (shape.empty() ? "" : ", ") + std::to_string(d);
  if (array.shape.size() == 1)
    shape += ","; // a 1-tuple
  std::string dict = "{'descr': '" + npyDescr(array.dtype).str() +
                     "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // Pad so that the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string out(kMagic);
  out += char(1);
  out += char(0);
  out += char(dict.size() & 0xff);
  out += char((dict.size() >> 8) & 0xff);
  out += dict;
  out.append(reinterpret_cast<const char *>(array.data.data()),
             array.data.size());
  return out;
}

llvm::Error mlir::infer::writeNpy(StringRef path, const NpyArray &array) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError("cannot write '" + path + "': " + ec.message());
  os << serializeNpy(array);
  return llvm::Error::success();
}
