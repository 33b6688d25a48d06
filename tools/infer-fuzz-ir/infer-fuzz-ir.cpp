//===- infer-fuzz-ir.cpp - libFuzzer target: parse, verify, lower ---------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Feeds each input to the textual IR front end as a user would: parse,
// verify, and when the module verifies, run infer-cpu-pipeline on it. Errors
// are expected and swallowed; a crash, an assertion, a sanitizer report or a
// hang is a bug. The invariant checked is the project's: a program the
// verifier accepts never crashes a later pass.
//
// Each input gets a fresh MLIRContext (uniqued attributes and types would
// otherwise accumulate over millions of runs) built from one registry.
//
//===----------------------------------------------------------------------===//

#include "infer/InitAll.h"
#include "infer/Pipelines/Pipelines.h"
#include "infer/Support/InputCheck.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

static DialectRegistry *registry;

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv) {
  registry = new DialectRegistry();
  infer::registerAllInferDialects(*registry);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Large inputs only slow the search down; the corpus is small functions.
  if (size > 16384)
    return -1;
  MLIRContext context(*registry, MLIRContext::Threading::DISABLED);
  // Diagnostics are the expected answer to bad input; drop them.
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  ParserConfig config(&context);
  // The lexer expects a NUL-terminated buffer, as files read by the tools
  // are; libFuzzer's is not.
  std::string text(reinterpret_cast<const char *>(data), size);
  // As in our tools, blobs MLIR's parser would crash on are refused first.
  llvm::SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(text, "input"), llvm::SMLoc());
  sourceMgr.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  if (failed(infer::checkInput(sourceMgr, id)))
    return 0;
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module || failed(verify(*module)))
    return 0;
  PassManager pm(&context);
  infer::CPUPipelineOptions options;
  infer::buildCPUPipeline(pm, options);
  // Failing with a diagnostic is fine; crashing is not.
  (void)pm.run(*module);
  return 0;
}
