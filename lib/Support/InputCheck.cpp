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
        alignment =
            (alignment << 8) | llvm::hexFromNibbles(hex[2 * i], hex[2 * i + 1]);
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
  struct Form {
    StringRef op, keyword;
  };
  for (Form form : {Form{"linalg.transpose", "permutation"},
                    Form{"linalg.broadcast", "dimensions"},
                    Form{"linalg.reduce", "dimensions"}}) {
    for (size_t at = text.find(form.op); at != StringRef::npos;
         at = text.find(form.op, at + form.op.size())) {
      // The custom form only (the generic one is quoted and carries
      // `array<i64: ...>`), outside `//` comments.
      if (at > 0 && (text[at - 1] == '"' || llvm::isAlnum(text[at - 1])))
        continue;
      size_t lineStart = text.rfind('\n', at);
      lineStart = lineStart == StringRef::npos ? 0 : lineStart + 1;
      if (text.slice(lineStart, at).contains("//"))
        continue;
      // The op's text: up to the next line that starts another op.
      StringRef rest = text.substr(at + form.op.size());
      size_t end = 0;
      while (true) {
        size_t newline = rest.find('\n', end);
        if (newline == StringRef::npos) {
          end = rest.size();
          break;
        }
        StringRef next = rest.substr(newline + 1).ltrim(" \t");
        end = newline + 1;
        if (next.starts_with("%") || next.starts_with("}") ||
            next.starts_with("func.") || next.starts_with("return") ||
            next.starts_with("linalg.") || next.starts_with("\"")) {
          end = newline;
          break;
        }
      }
      StringRef body = rest.take_front(end);
      size_t key = body.find(form.keyword);
      if (key == StringRef::npos)
        continue; // The parser reports the missing keyword itself.
      StringRef list = body.substr(key + form.keyword.size()).ltrim(" \t\n");
      bool wellFormed = false;
      if (list.consume_front("=")) {
        list = list.ltrim(" \t\n");
        if (list.consume_front("[")) {
          size_t close = list.find(']');
          wellFormed = close != StringRef::npos &&
                       llvm::all_of(list.take_front(close), [](char c) {
                         return llvm::isDigit(c) || c == '-' || c == ',' ||
                                llvm::isSpace(c);
                       });
        }
      }
      if (wellFormed)
        continue;
      sourceMgr.PrintMessage(
          SMLoc::getFromPointer(body.data() + key), SourceMgr::DK_Error,
          "expected '" + form.keyword + " = [...]' with a list of integers");
      ok = false;
    }
  }
  return success(ok);
}

LogicalResult mlir::infer::checkInput(SourceMgr &sourceMgr, unsigned bufferId) {
  bool blobs = succeeded(checkResourceBlobs(sourceMgr, bufferId));
  bool lists = succeeded(checkIntegerLists(sourceMgr, bufferId));
  return success(blobs && lists);
}
