//===- InputCheck.cpp - checks on textual IR before MLIR parses it --------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Support/InputCheck.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace llvm;

LogicalResult mlir::infer::checkResourceBlobs(SourceMgr &sourceMgr,
                                              unsigned bufferId) {
  StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
  bool ok = true;
  // Only file metadata sections ({-# ... #-}) hold resources.
  for (size_t open = text.find("{-#"); open != StringRef::npos;
       open = text.find("{-#", open + 3)) {
    size_t close = text.find("#-}", open);
    StringRef section = text.slice(open, close);
    for (size_t at = section.find("\"0x"); at != StringRef::npos;
         at = section.find("\"0x", at + 3)) {
      StringRef hex = section.substr(at + 3).take_while(llvm::isHexDigit);
      // Shorter blobs are reported by MLIR itself.
      if (hex.size() < 8)
        continue;
      uint32_t alignment = 0;
      for (int i = 3; i >= 0; --i)
        alignment = (alignment << 8) |
                    llvm::hexFromNibbles(hex[2 * i], hex[2 * i + 1]);
      if (llvm::isPowerOf2_32(alignment))
        continue;
      SMLoc loc = SMLoc::getFromPointer(section.data() + at);
      sourceMgr.PrintMessage(loc, SourceMgr::DK_Error,
                             "resource blob alignment " + Twine(alignment) +
                                 " is not a power of two (the first 4 bytes "
                                 "of a blob encode its alignment)");
      ok = false;
    }
    if (close == StringRef::npos)
      break;
  }
  return success(ok);
}
