//===- infer-translate.cpp - translations out of MLIR ---------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mlir-translate with every upstream translation (--mlir-to-llvmir...) and
// ours: --infer-c-header writes the C header of a compiled model. The input
// is checked for resource blobs that MLIR's parser would crash on first.
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"
#include "infer/Support/InputCheck.h"
#include "infer/Support/ToolSupport.h"
#include "infer/Target/Bitcode.h"
#include "infer/Target/CHeader.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

using namespace llvm;

/// The positional input of an mlir-translate command line ("-" when none):
/// every argument that is neither an option nor the value of `-o`.
static std::string findInput(int argc, char **argv, int &index) {
  index = -1;
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (arg == "-o") {
      ++i;
      continue;
    }
    if (arg.starts_with("-") && arg != "-")
      continue;
    index = i;
    return arg.str();
  }
  return "-";
}

int main(int argc, char **argv) {
  // mlirTranslateMain registers its own options (the translations, -o,
  // --split-input-file...) when it runs, so they stay visible in --help;
  // LLVM's codegen and debug options, registered before main, are hidden.
  mlir::infer::installVersionPrinter();
  mlir::infer::hideUnrelatedOptions({});
  mlir::registerAllTranslations();
  mlir::infer::registerCHeaderTranslation();
  mlir::infer::registerBitcodeTranslation();

  int index;
  std::string input = findInput(argc, argv, index);
  ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
      MemoryBuffer::getFileOrSTDIN(input);
  std::vector<char *> args(argv, argv + argc);
  SmallString<128> stdinCopy;
  if (buffer) {
    SourceMgr sourceMgr;
    unsigned id = sourceMgr.AddNewSourceBuffer(
        MemoryBuffer::getMemBuffer((*buffer)->getMemBufferRef()), SMLoc());
    if (failed(mlir::infer::checkInput(sourceMgr, id)))
      return 1;
    // Standard input is consumed now: the driver reads a copy instead.
    if (input == "-") {
      int fd;
      if (sys::fs::createTemporaryFile("infer-translate", "mlir", fd,
                                       stdinCopy)) {
        errs() << "infer-translate: cannot buffer standard input\n";
        return 1;
      }
      raw_fd_ostream os(fd, /*shouldClose=*/true);
      os << (*buffer)->getBuffer();
      os.close();
      if (index < 0)
        args.push_back(stdinCopy.data());
      else
        args[index] = stdinCopy.data();
    }
  }
  // A missing file is reported by the driver, with its usual message.
  bool ok = mlir::succeeded(
      mlir::mlirTranslateMain(static_cast<int>(args.size()), args.data(),
                              "infer-mlir translation driver"));
  if (!stdinCopy.empty())
    sys::fs::remove(stdinCopy);
  return ok ? 0 : 1;
}
