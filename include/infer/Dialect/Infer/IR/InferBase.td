//===- InferBase.td - infer dialect definition -------------*- tablegen -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_DIALECT_INFER_IR_INFERBASE_TD
#define INFER_DIALECT_INFER_IR_INFERBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Infer_Dialect : Dialect {
  let name = "infer";
  let cppNamespace = "::mlir::infer";
  let summary = "Graph-level operations of trained inference models";
  let description = [{
    The `infer` dialect models a trained inference graph the way ONNX does:
    ops on ranked tensors in NCHW layout, with attributes for the static
    configuration of each layer (strides, pads, axes...). Import from ONNX is
    one op per node, and every op verifies its shapes and infers its result
    type, so that graph rewrites (fusion, quantization, pruning) can be
    written against a checked IR before it is lowered to `linalg`.

    Quantized values use the upstream `!quant.uniform` types, so the
    quantization passes and their users share one vocabulary.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Infer_QuantizedType : Type<
    CPred<"::llvm::isa<::mlir::quant::QuantizedType>($_self)">,
    "quantized type", "::mlir::quant::QuantizedType">;

def Infer_Tensor : RankedTensorOf<[AnyType]>;
def Infer_FloatTensor : RankedTensorOf<[AnyFloat]>;
// Integers are signless or unsigned (ONNX's uint8...uint64); the lowering
// keeps unsigned semantics (division, order, conversion) and signless storage.
def Infer_NumericTensor
    : RankedTensorOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>;
def Infer_ComputeTensor
    : RankedTensorOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger,
                      Infer_QuantizedType]>;
def Infer_IndexTensor : RankedTensorOf<[I32, I64]>;
def Infer_IntegerTensor
    : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
def Infer_BoolTensor : RankedTensorOf<[I1]>;
def Infer_QuantizedTensor : RankedTensorOf<[Infer_QuantizedType]>;

//===----------------------------------------------------------------------===//
// Attribute constraints
//===----------------------------------------------------------------------===//

// An i64 attribute read as a signed value: axes, groups and sizes may be
// negative in ONNX terms (upstream's I64Attr returns uint64_t).
def Infer_I64Attr : TypedSignlessIntegerAttrBase<
    I64, "int64_t", "64-bit signless integer attribute"> {
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Base op
//===----------------------------------------------------------------------===//

class Infer_Op<string mnemonic, list<Trait> traits = []>
    : Op<Infer_Dialect, mnemonic, traits>;

#endif // INFER_DIALECT_INFER_IR_INFERBASE_TD
