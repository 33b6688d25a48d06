//===- InferAttrs.td - infer dialect attributes ------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFERATTRS_TD
#define INFER_DIALECT_INFER_IR_INFERATTRS_TD

include "infer/Dialect/Infer/IR/InferBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Infer_LayoutEnum : I32EnumAttr<"Layout",
    "activation layout of a convolution, pooling or batch normalization", [
      I32EnumAttrCase<"NCHW", 0, "nchw">,
      I32EnumAttrCase<"NHWC", 1, "nhwc">
    ]> {
  let cppNamespace = "::mlir::infer";
  let genSpecializedAttr = 0;
}

def Infer_LayoutAttr : EnumAttr<Infer_Dialect, Infer_LayoutEnum, "layout"> {
  let summary = "NCHW (ONNX's) or NHWC (channels last, for CPU kernels)";
}

def Infer_ScheduleKind : I32EnumAttr<"ScheduleKind",
    "the strategy a schedule drives", [
      I32EnumAttrCase<"Contraction", 0, "contraction">,
      I32EnumAttrCase<"Convolution", 1, "convolution">,
      I32EnumAttrCase<"Elementwise", 2, "elementwise">,
      I32EnumAttrCase<"Reduction", 3, "reduction">,
      I32EnumAttrCase<"Pooling", 4, "pooling">
    ]> {
  let cppNamespace = "::mlir::infer";
  let genSpecializedAttr = 0;
}

def Infer_ScheduleOrigin : I32EnumAttr<"ScheduleOrigin",
    "where a schedule came from", [
      I32EnumAttrCase<"Model", 0, "model">,
      I32EnumAttrCase<"Tuned", 1, "tuned">,
      I32EnumAttrCase<"User", 2, "user">
    ]> {
  let cppNamespace = "::mlir::infer";
  let genSpecializedAttr = 0;
}

def Infer_ScheduleAttr : AttrDef<Infer_Dialect, "Schedule"> {
  let mnemonic = "schedule";
  let summary = "How codegen tiles, vectorizes and distributes one linalg op";
  let description = [{
    The per-op decision of the CPU code generator, chosen by
    `infer-cpu-select-schedule` from a model of the target (or replayed from
    a tuning database, or written by hand) and applied by `infer-tile`. Each
    tile list has one entry per loop of the op (0: not tiled at that level):

    - `distribute`: the tiles of the `scf.forall` whose iterations run on
      threads;
    - `cache`: the cache-level tiles inside a thread's share (`scf.for`),
      including the reduction slab of a contraction;
    - `vector`: the shape one vector operation handles (the register tile of
      a micro-kernel: for a contraction, the accumulator tile);
    - `reduce`: the reduction step inside the register tile;
    - `order`: the loop order of the vector-level loops (empty: as is).

    `origin` says who decided; `estimate_ns` is the model's estimate of the
    op's time, which `--tile-report` prints next to the measurement.

    ```mlir
    linalg.generic {...} {infer.schedule = #infer.schedule<kind = contraction,
        distribute = [128, 8, 0, 0], cache = [0, 0, 0, 512],
        vector = [8, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3],
        origin = model, estimate_ns = 9700000>}
    ```
  }];
  let parameters = (ins
    EnumParameter<Infer_ScheduleKind>:$kind,
    ArrayRefParameter<"int64_t">:$distribute,
    ArrayRefParameter<"int64_t">:$cache,
    ArrayRefParameter<"int64_t">:$vector,
    ArrayRefParameter<"int64_t">:$reduce,
    ArrayRefParameter<"int64_t">:$order,
    EnumParameter<Infer_ScheduleOrigin>:$origin,
    "int64_t":$estimate_ns
  );
  let assemblyFormat = [{
    `<` `kind` `=` $kind `,` `distribute` `=` custom<TileList>($distribute)
    `,` `cache` `=` custom<TileList>($cache)
    `,` `vector` `=` custom<TileList>($vector)
    `,` `reduce` `=` custom<TileList>($reduce)
    `,` `order` `=` custom<TileList>($order)
    `,` `origin` `=` $origin `,` `estimate_ns` `=` $estimate_ns `>`
  }];
  let genVerifyDecl = 1;
}

#endif // INFER_DIALECT_INFER_IR_INFERATTRS_TD
