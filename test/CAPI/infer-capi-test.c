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

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  inferRegisterAllDialects(registry);
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
  mlirContextDestroy(ctx);
  // CHECK: done
  printf("done\n");
  return 0;
}
