//===- infer-opt.cpp - the infer-mlir optimizer driver --------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, extension and pass, plus ours. The
// input is checked for resource blobs that MLIR's parser would crash on
// before it is handed to the standard driver.
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"
#include "infer/Support/InputCheck.h"
#include "infer/Support/ToolSupport.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// The user flags are phases of one compilation, run in the design's order
/// whatever their order on the command line: precision on the graph
/// (--quantize-int8, --convert-bf16, --convert-fp16), then fusion (--fuse,
/// which lowers to linalg), then code generation (--tile). Other arguments
/// keep their places.
static void orderUserFlags(int argc, char **argv) {
  auto phase = [](StringRef arg) {
    if (arg.starts_with("--quantize-int8") ||
        arg.starts_with("--quantize-report"))
      return 0;
    if (arg.starts_with("--fuse"))
      return 1;
    if (arg.starts_with("--tile"))
      return 2;
    return -1;
  };
  SmallVector<int> slots;
  for (int i = 1; i < argc; ++i)
    if (phase(argv[i]) >= 0)
      slots.push_back(i);
  SmallVector<char *> flags;
  for (int p = 0; p < 3; ++p)
    for (int slot : slots)
      if (phase(argv[slot]) == p)
        flags.push_back(argv[slot]);
  for (auto [slot, flag] : llvm::zip(slots, flags))
    argv[slot] = flag;
}

int main(int argc, char **argv) {
  orderUserFlags(argc, argv);
  registerAllPasses();
  infer::registerAllInferPasses();
  infer::installVersionPrinter();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  infer::registerAllInferDialects(registry);

  auto [inputFile, outputFile] = registerAndParseCLIOptions(
      argc, argv, "infer-mlir optimizer driver\n", registry);

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = openInputFile(inputFile, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input->getMemBufferRef(),
                                       /*RequiresNullTerminator=*/false),
      llvm::SMLoc());
  if (failed(infer::checkInput(sourceMgr, id)))
    return 1;
  if (inputFile != "-")
    return asMainReturnCode(
        MlirOptMain(argc, argv, inputFile, outputFile, registry));

  // Standard input can be read only once: hand the buffer over.
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  if (failed(MlirOptMain(output->os(), std::move(input), registry,
                         MlirOptMainConfig::createFromCLOptions())))
    return 1;
  output->keep();
  return 0;
}
