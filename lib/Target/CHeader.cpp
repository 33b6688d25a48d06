//===- CHeader.cpp - C header for compiled models -------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The ABI of a compiled model is MLIR's C interface: `_mlir_ciface_<name>`
// takes a pointer to the result descriptor (a struct of descriptors for
// several results) followed by one pointer per input descriptor. A
// descriptor is {allocated, aligned, offset, sizes[rank], strides[rank]}.
// Result buffers belong to the caller, who frees `allocated`.
//
//===----------------------------------------------------------------------===//

#include "infer/Target/CHeader.h"

#include "infer/InitAll.h"
#include "infer/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using namespace mlir::infer;

/// The C type and short name of an element type.
static std::optional<std::pair<StringRef, StringRef>> cElementType(Type type) {
  if (auto qtype = dyn_cast<quant::QuantizedType>(type))
    type = qtype.getStorageType();
  if (type.isF32())
    return std::make_pair("float", "f32");
  if (type.isF64())
    return std::make_pair("double", "f64");
  if (type.isF16())
    return std::make_pair("uint16_t", "f16"); // IEEE half bits
  if (type.isBF16())
    return std::make_pair("uint16_t", "bf16");
  if (type.isInteger(1) || type.isInteger(8))
    return std::make_pair(type.isInteger(1) ? "uint8_t" : "int8_t",
                          type.isInteger(1) ? "i1" : "i8");
  if (type.isInteger(16))
    return std::make_pair("int16_t", "i16");
  if (type.isInteger(32))
    return std::make_pair("int32_t", "i32");
  if (type.isInteger(64))
    return std::make_pair("int64_t", "i64");
  return std::nullopt;
}

static std::string descriptorName(StringRef elementName, int64_t rank) {
  return ("infer_memref_" + elementName + "_" + Twine(rank) + "d").str();
}

static std::string shapeText(RankedTensorType type) {
  std::string s = "[";
  llvm::interleave(
      type.getShape(),
      [&](int64_t d) {
        s += ShapedType::isDynamic(d) ? "?" : std::to_string(d);
      },
      [&] { s += ", "; });
  return s + "]";
}

static std::string cIdentifier(StringRef name) {
  std::string id;
  for (char c : name)
    id += llvm::isAlnum(c) ? c : '_';
  if (id.empty() || llvm::isDigit(id.front()))
    id = "_" + id;
  return id;
}

LogicalResult mlir::infer::emitCHeader(ModuleOp module, raw_ostream &os,
                                       StringRef guardName) {
  struct Entry {
    std::string name;
    FunctionType type;
    SmallVector<std::string> inputNames;
    Operation *op;
  };
  SmallVector<Entry> entries;
  for (Operation &op : module.getBody()->getOperations()) {
    auto symbol = dyn_cast<SymbolOpInterface>(&op);
    if (!symbol || !symbol.isPublic() || symbol.isDeclaration() ||
        symbol.getName().starts_with("_mlir_ciface_"))
      continue;
    FunctionType type;
    if (auto attr = op.getAttrOfType<TypeAttr>(kSignatureAttrName))
      type = cast<FunctionType>(attr.getValue());
    else if (auto func = dyn_cast<func::FuncOp>(op))
      type = func.getFunctionType();
    else
      continue;
    Entry entry{symbol.getName().str(), type, {}, &op};
    auto func = dyn_cast<func::FuncOp>(op);
    auto names = op.getAttrOfType<ArrayAttr>(kInputNamesAttrName);
    for (unsigned i = 0; i < type.getNumInputs(); ++i) {
      StringAttr name;
      if (names && i < names.size())
        name = dyn_cast<StringAttr>(names[i]);
      else if (func)
        name = func.getArgAttrOfType<StringAttr>(i, kInputNameAttrName);
      entry.inputNames.push_back(name ? name.str()
                                      : "input" + std::to_string(i));
    }
    entries.push_back(std::move(entry));
  }

  // Descriptor types used by any signature, in first-use order.
  SmallVector<std::pair<std::string, int64_t>> descriptors;
  std::map<std::pair<std::string, int64_t>, std::string> cTypes;
  for (Entry &entry : entries) {
    for (Type t : llvm::concat<const Type>(entry.type.getInputs(),
                                           entry.type.getResults())) {
      auto tensor = dyn_cast<RankedTensorType>(t);
      auto element =
          tensor ? cElementType(tensor.getElementType()) : std::nullopt;
      if (!element)
        return entry.op->emitError("@")
               << entry.name << ": type " << t
               << " has no C equivalent in a compiled model's interface";
      std::pair<std::string, int64_t> key(element->second.str(),
                                          tensor.getRank());
      if (!llvm::is_contained(descriptors, key))
        descriptors.push_back(key);
      cTypes[key] = element->first.str();
    }
  }

  os << "/* Generated by infer-translate --infer-c-header: do not edit.\n"
        " *\n"
        " * Each function takes a pointer to its result descriptor (a struct\n"
        " * of descriptors if there are several results), then one pointer "
        "per\n"
        " * input descriptor. A descriptor describes a strided array:\n"
        " * element (i, j, ...) is aligned[offset + i*strides[0] + "
        "j*strides[1]\n"
        " * + ...]. Dense C-order inputs have offset 0 and row-major strides.\n"
        " * Results are malloc'ed by the model: free(result.allocated). */\n";
  os << "#ifndef " << guardName << "\n#define " << guardName << "\n\n";
  os << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (auto &[elementName, rank] : descriptors) {
    std::string name = descriptorName(elementName, rank);
    const std::string &cType = cTypes[{elementName, rank}];
    os << "#ifndef " << llvm::StringRef(name).upper() << "_DEFINED\n";
    os << "#define " << llvm::StringRef(name).upper() << "_DEFINED\n";
    os << "typedef struct {\n  " << cType << " *allocated;\n  " << cType
       << " *aligned;\n  int64_t offset;\n";
    if (rank > 0)
      os << "  int64_t sizes[" << rank << "];\n  int64_t strides[" << rank
         << "];\n";
    os << "} " << name << ";\n#endif\n\n";
  }

  for (Entry &entry : entries) {
    std::string id = cIdentifier(entry.name);
    os << "/* @" << entry.name << "\n";
    for (auto [i, t] : llvm::enumerate(entry.type.getInputs())) {
      auto tensor = cast<RankedTensorType>(t);
      os << " *   input " << i << " \"" << entry.inputNames[i]
         << "\": " << cElementType(tensor.getElementType())->second << " "
         << shapeText(tensor) << "\n";
    }
    for (auto [i, t] : llvm::enumerate(entry.type.getResults())) {
      auto tensor = cast<RankedTensorType>(t);
      os << " *   output " << i << ": "
         << cElementType(tensor.getElementType())->second << " "
         << shapeText(tensor) << "\n";
    }
    os << " * A ? dimension is given by the caller's input sizes. */\n";
    for (auto [i, t] : llvm::enumerate(entry.type.getInputs())) {
      auto tensor = cast<RankedTensorType>(t);
      for (int64_t d = 0; d < tensor.getRank(); ++d)
        if (!tensor.isDynamicDim(d))
          os << "#define " << llvm::StringRef(id).upper() << "_INPUT" << i
             << "_DIM" << d << " " << tensor.getDimSize(d) << "\n";
    }
    auto descOf = [&](Type t) {
      auto tensor = cast<RankedTensorType>(t);
      return descriptorName(cElementType(tensor.getElementType())->second,
                            tensor.getRank());
    };
    std::string resultType;
    unsigned numResults = entry.type.getNumResults();
    if (numResults == 1) {
      resultType = descOf(entry.type.getResult(0));
    } else if (numResults > 1) {
      resultType = id + "_results";
      os << "typedef struct {\n";
      for (auto [i, t] : llvm::enumerate(entry.type.getResults()))
        os << "  " << descOf(t) << " output" << i << ";\n";
      os << "} " << resultType << ";\n";
    }
    os << "void _mlir_ciface_" << entry.name << "(";
    bool first = true;
    if (numResults) {
      os << resultType << " *result";
      first = false;
    }
    for (auto [i, t] : llvm::enumerate(entry.type.getInputs())) {
      os << (first ? "" : ", ") << descOf(t) << " *"
         << cIdentifier(entry.inputNames[i]);
      first = false;
    }
    if (first)
      os << "void";
    os << ");\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guardName << " */\n";
  return success();
}

void mlir::infer::registerCHeaderTranslation() {
  TranslateFromMLIRRegistration registration(
      "infer-c-header", "Emit the C header of a compiled model's functions",
      [](Operation *op, raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("expected a builtin.module");
        return emitCHeader(module, os);
      },
      [](DialectRegistry &registry) {
        registerAllDialects(registry);
        registerAllInferDialects(registry);
      });
}
