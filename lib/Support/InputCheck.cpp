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

LogicalResult mlir::infer::checkIntegerLists(SourceMgr &sourceMgr,
                                             unsigned bufferId) {
  StringRef text = sourceMgr.getMemoryBuffer(bufferId)->getBuffer();
  bool ok = true;
  for (StringRef keyword : {"permutation", "dimensions"}) {
    for (size_t at = text.find(keyword); at != StringRef::npos;
         at = text.find(keyword, at + keyword.size())) {
      // A whole word, outside a `//` comment.
      if (at > 0 && (llvm::isAlnum(text[at - 1]) || text[at - 1] == '_'))
        continue;
      size_t lineStart = text.rfind('\n', at);
      lineStart = lineStart == StringRef::npos ? 0 : lineStart + 1;
      if (text.slice(lineStart, at).contains("//"))
        continue;
      StringRef rest = text.substr(at + keyword.size()).ltrim(" \t");
      if (!rest.consume_front("="))
        continue;
      rest = rest.ltrim(" \t");
      if (!rest.starts_with("["))
        continue;
      StringRef list = rest.drop_front().take_until(
          [](char c) { return c == ']'; });
      bool wellFormed = list.size() < rest.size() - 1 &&
                        llvm::all_of(list, [](char c) {
                          return llvm::isDigit(c) || c == '-' || c == ',' ||
                                 llvm::isSpace(c);
                        });
      if (wellFormed)
        continue;
      sourceMgr.PrintMessage(SMLoc::getFromPointer(rest.data()),
                             SourceMgr::DK_Error,
                             "expected a list of integers for '" + keyword +
                                 "'");
      ok = false;
    }
  }
  return success(ok);
}

LogicalResult mlir::infer::checkInput(SourceMgr &sourceMgr,
                                      unsigned bufferId) {
  bool blobs = succeeded(checkResourceBlobs(sourceMgr, bufferId));
  bool lists = succeeded(checkIntegerLists(sourceMgr, bufferId));
  return success(blobs && lists);
}
