/*===- infer-capi-test.c - C API smoke test -----------------------*- C -*-===*\
|*                                                                            *|
|* Part of the infer-mlir project.                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

/* RUN: infer-capi-test 2>&1 | FileCheck %s
 *
 * A C host loads the infer dialect through its handle, parses a model, runs
 * infer-refine-shapes created through the C API and prints the result; then
 * it runs the pass again from a textual pipeline after registering passes,
 * then lowers the module to the LLVM dialect with infer-cpu-pipeline. */

#include "infer-c/Dialects.h"
#include "infer-c/Passes.h"
#include "infer-c/Pipelines.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdio.h>
#include <stdlib.h>

static const char *kModule =
    "func.func @main(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {\n"
    "  %y = infer.sigmoid %x : tensor<?x4xf32>\n"
    "  return %y : tensor<?x4xf32>\n"
    "}\n";

static void printCallback(MlirStringRef str, void *userData) {
  (void)userData;
  fwrite(str.data, 1, str.length, stdout);
}

static void printModule(MlirModule module) {
  mlirOperationPrint(mlirModuleGetOperation(module), printCallback, NULL);
  fputc('\n', stdout);
}

static void check(int condition, const char *what) {
  if (!condition) {
    fprintf(stderr, "FAILED: %s\n", what);
    exit(1);
  }
}

static void errorCallback(MlirStringRef str, void *userData) {
  (void)userData;
  fprintf(stdout, "error: %.*s\n", (int)str.length, str.data);
}

static void badArguments(MlirContext ctx);

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  check(mlirLogicalResultIsSuccess(inferRegisterAllDialects(registry)),
        "register the dialects");
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);

  MlirDialect infer =
      mlirDialectHandleLoadDialect(mlirGetDialectHandle__infer__(), ctx);
  check(!mlirDialectIsNull(infer), "load the infer dialect");
  MlirStringRef ns = mlirDialectGetNamespace(infer);
  // CHECK: dialect: infer
  printf("dialect: %.*s\n", (int)ns.length, ns.data);

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModule));
  check(!mlirModuleIsNull(module), "parse the module");

  /* A pass object created directly. */
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  (void)opm;
  mlirPassManagerAddOwnedPass(pm, mlirCreateInferRefineShapesPass());
  check(mlirLogicalResultIsSuccess(
            mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))),
        "run infer-refine-shapes");
  mlirPassManagerDestroy(pm);
  /* Nothing to refine without a batch size: the module is unchanged. */
  // CHECK-LABEL: func.func @main(%arg0: tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: infer.sigmoid %arg0 : tensor<?x4xf32>
  printModule(module);

  /* The same pass, with an option, from a textual pipeline. */
  mlirRegisterInferPasses();
  pm = mlirPassManagerCreate(ctx);
  MlirStringRef pipeline = mlirStringRefCreateFromCString(
      "builtin.module(infer-refine-shapes{batch-size=8})");
  check(mlirLogicalResultIsSuccess(
            mlirParsePassPipeline(mlirPassManagerGetAsOpPassManager(pm),
                                  pipeline, printCallback, NULL)),
        "parse the pipeline");
  check(mlirLogicalResultIsSuccess(
            mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))),
        "run the pipeline");
  mlirPassManagerDestroy(pm);
  // CHECK-LABEL: func.func @main(%arg0: tensor<8x4xf32>) -> tensor<8x4xf32>
  // CHECK: infer.sigmoid %arg0 : tensor<8x4xf32>
  printModule(module);

  /* The whole CPU pipeline, registered for C hosts by inferRegisterAllPasses.
   */
  inferRegisterAllPasses();
  pm = mlirPassManagerCreate(ctx);
  check(mlirLogicalResultIsSuccess(mlirParsePassPipeline(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString(
                "builtin.module(infer-cpu-pipeline{opt-level=1})"),
            printCallback, NULL)),
        "parse infer-cpu-pipeline");
  check(mlirLogicalResultIsSuccess(
            mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))),
        "run infer-cpu-pipeline");
  mlirPassManagerDestroy(pm);
  // CHECK-LABEL: llvm.func @_mlir_ciface_main
  printModule(module);

  mlirModuleDestroy(module);
  badArguments(ctx);
  mlirContextDestroy(ctx);
  printf("done\n");
  return 0;
}

/* Null or mismatched arguments give a failure and a message, never a crash. */
static void badArguments(MlirContext ctx) {
  MlirDialectRegistry nullRegistry = {NULL};
  // CHECK: null registry: failure
  printf("null registry: %s\n",
         mlirLogicalResultIsFailure(inferRegisterAllDialects(nullRegistry))
             ? "failure"
             : "success");

  MlirOpPassManager nullPm = {NULL};
  // CHECK: error: inferAddCPUPipeline: the pass manager is null
  check(mlirLogicalResultIsFailure(inferAddCPUPipeline(
            nullPm, mlirStringRefCreateFromCString(""), errorCallback, NULL)),
        "a null pass manager is refused");
  /* No callback: still a failure, no crash. */
  check(mlirLogicalResultIsFailure(inferAddCPUPipeline(
            nullPm, mlirStringRefCreateFromCString(""), NULL, NULL)),
        "a null pass manager is refused without a callback");

  /* A pass manager anchored on func.func. */
  MlirPassManager funcPm = mlirPassManagerCreateOnOperation(
      ctx, mlirStringRefCreateFromCString("func.func"));
  // CHECK: error: infer-cpu-pipeline runs on 'builtin.module'; the pass manager is anchored on 'func.func'
  check(mlirLogicalResultIsFailure(inferAddCPUPipeline(
            mlirPassManagerGetAsOpPassManager(funcPm),
            mlirStringRefCreateFromCString(""), errorCallback, NULL)),
        "a func.func pass manager is refused");
  mlirPassManagerDestroy(funcPm);

  /* Malformed options. */
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  // CHECK: error: {{.*}}no-such-option
  check(mlirLogicalResultIsFailure(inferAddCPUPipeline(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString("no-such-option=1"), errorCallback,
            NULL)),
        "unknown options are refused");
  // CHECK: error: {{.*}}opt-level
  check(mlirLogicalResultIsFailure(inferAddCPUPipeline(
            mlirPassManagerGetAsOpPassManager(pm),
            mlirStringRefCreateFromCString("opt-level=fast"), errorCallback,
            NULL)),
        "malformed option values are refused");
  mlirPassManagerDestroy(pm);

  MlirModule nullModule = {NULL};
  // CHECK: error: inferLowerModuleForCPU: the module is null
  check(mlirLogicalResultIsFailure(inferLowerModuleForCPU(
            nullModule, mlirStringRefCreateFromCString(""), errorCallback,
            NULL)),
        "a null module is refused");

  /* A module the lowering cannot handle: the diagnostic comes back with its
   * location. */
  MlirModule bad = mlirModuleCreateParse(
      ctx, mlirStringRefCreateFromCString(
               "func.func @f(%x: tensor<1x3x?x?xf32>, %w: tensor<8x3x3x3xf32>)"
               " -> tensor<1x8x?x?xf32> {\n"
               "  %y = infer.conv2d %x, %w : (tensor<1x3x?x?xf32>, "
               "tensor<8x3x3x3xf32>) -> tensor<1x8x?x?xf32>\n"
               "  return %y : tensor<1x8x?x?xf32>\n"
               "}\n"));
  check(!mlirModuleIsNull(bad), "parse a module with dynamic spatial dims");
  // CHECK: error: loc("-":2:8): error: 'infer.conv2d' op
  check(mlirLogicalResultIsFailure(inferLowerModuleForCPU(
            bad, mlirStringRefCreateFromCString(""), errorCallback, NULL)),
        "an unlowerable module fails");
  mlirModuleDestroy(bad);

  /* A good module through the one-call entry point. */
  MlirModule good =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModule));
  check(mlirLogicalResultIsSuccess(inferLowerModuleForCPU(
            good, mlirStringRefCreateFromCString("opt-level=1"),
            errorCallback, NULL)),
        "lower a module in one call");
  mlirModuleDestroy(good);
}

// The checks of badArguments come before this one.
// CHECK: done
