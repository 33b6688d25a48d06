//===- Pipelines.cpp - C API for the infer pipelines ----------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer-c/Pipelines.h"

#include "infer/Pipelines/Pipelines.h"
#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Pass.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include <string>

using namespace mlir;
using namespace mlir::infer;

static MlirLogicalResult report(MlirStringCallback callback, void *userData,
                                const std::string &message) {
  if (callback)
    callback(mlirStringRefCreate(message.data(), message.size()), userData);
  return mlirLogicalResultFailure();
}

/// Parses the textual options of infer-cpu-pipeline into `parsed`.
static LogicalResult parseOptions(MlirStringRef options,
                                  CPUPipelineOptions &parsed,
                                  std::string &error) {
  if (!options.data && options.length) {
    error = "infer-cpu-pipeline: the option string is null";
    return failure();
  }
  std::string details;
  llvm::raw_string_ostream os(details);
  if (succeeded(parsed.parseFromString(unwrap(options), os)))
    return success();
  // A malformed value is reported by the option itself (on stderr); an
  // unknown option name comes back in `details`.
  StringRef why = StringRef(details).trim();
  why.consume_front("<Pass-Options-Parser>: ");
  error = ("infer-cpu-pipeline: invalid options '" + unwrap(options) +
           "': " + (why.empty() ? StringRef("malformed value") : why))
              .str();
  return failure();
}

static MlirLogicalResult addPipeline(OpPassManager &pm, MlirStringRef options,
                                     MlirStringCallback callback,
                                     void *userData) {
  StringRef anchor = pm.getOpAnchorName();
  if (anchor != ModuleOp::getOperationName() &&
      anchor != OpPassManager::getAnyOpAnchorName())
    return report(callback, userData,
                  "infer-cpu-pipeline runs on 'builtin.module'; the pass "
                  "manager is anchored on '" +
                      anchor.str() + "'");
  std::string error;
  CPUPipelineOptions parsed;
  if (failed(parseOptions(options, parsed, error)))
    return report(callback, userData, error);
  buildCPUPipeline(pm, parsed);
  return mlirLogicalResultSuccess();
}

MlirLogicalResult inferAddCPUPipeline(MlirOpPassManager pm,
                                      MlirStringRef options,
                                      MlirStringCallback errorCallback,
                                      void *userData) {
  if (!pm.ptr)
    return report(errorCallback, userData,
                  "inferAddCPUPipeline: the pass manager is null");
  return addPipeline(*unwrap(pm), options, errorCallback, userData);
}

MlirLogicalResult inferLowerModuleForCPU(MlirModule module,
                                         MlirStringRef options,
                                         MlirStringCallback errorCallback,
                                         void *userData) {
  if (mlirModuleIsNull(module))
    return report(errorCallback, userData,
                  "inferLowerModuleForCPU: the module is null");
  ModuleOp op = unwrap(module);
  PassManager pm(op->getContext());
  if (failed(unwrap(addPipeline(pm, options, errorCallback, userData))))
    return mlirLogicalResultFailure();
  // Diagnostics go to the caller, with their locations.
  ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() != DiagnosticSeverity::Error)
      return success();
    std::string message;
    llvm::raw_string_ostream os(message);
    os << diag.getLocation() << ": error: " << diag;
    for (Diagnostic &note : diag.getNotes())
      os << "\n" << note.getLocation() << ": note: " << note;
    report(errorCallback, userData, message);
    return success();
  });
  return wrap(pm.run(op));
}
