//===- InferDialect.cpp - infer dialect -----------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "infer/Dialect/Infer/IR/InferDialect.h"
#include "infer/Dialect/Infer/IR/InferAttrs.h"
#include "infer/Dialect/Infer/IR/InferOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::infer;

#include "infer/Dialect/Infer/IR/InferOpsDialect.cpp.inc"

#include "infer/Dialect/Infer/IR/InferEnums.cpp.inc"

/// `[1, 2, 3]`, possibly empty.
static ParseResult parseTileList(AsmParser &parser,
                                 SmallVector<int64_t> &tiles) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                        [&]() -> ParseResult {
                                          int64_t tile;
                                          if (parser.parseInteger(tile))
                                            return failure();
                                          tiles.push_back(tile);
                                          return success();
                                        });
}

static void printTileList(AsmPrinter &printer, ArrayRef<int64_t> tiles) {
  printer << '[';
  llvm::interleaveComma(tiles, printer);
  printer << ']';
}

#define GET_ATTRDEF_CLASSES
#include "infer/Dialect/Infer/IR/InferAttrs.cpp.inc"

void InferDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "infer/Dialect/Infer/IR/InferOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "infer/Dialect/Infer/IR/InferAttrs.cpp.inc"
      >();
}

LogicalResult
ScheduleAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                     ScheduleKind kind, ArrayRef<int64_t> distribute,
                     ArrayRef<int64_t> cache, ArrayRef<int64_t> vector,
                     ArrayRef<int64_t> reduce, ArrayRef<int64_t> order,
                     ScheduleOrigin origin, int64_t estimateNs) {
  size_t loops = distribute.size();
  for (auto [name, tiles] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"distribute", distribute},
        {"cache", cache},
        {"vector", vector},
        {"reduce", reduce}}) {
    if (tiles.size() != loops)
      return emitError() << "schedule: '" << name << "' has " << tiles.size()
                         << " tile sizes, 'distribute' has " << loops;
    if (llvm::any_of(tiles, [](int64_t t) { return t < 0; }))
      return emitError() << "schedule: '" << name
                         << "' tile sizes must be non-negative";
  }
  if (!order.empty()) {
    SmallVector<int64_t> sorted(order);
    llvm::sort(sorted);
    if (order.size() != loops ||
        llvm::any_of(llvm::enumerate(sorted),
                     [](auto it) { return it.value() != (int64_t)it.index(); }))
      return emitError() << "schedule: 'order' must be a permutation of the "
                         << loops << " loops";
  }
  if (estimateNs < 0)
    return emitError() << "schedule: 'estimate_ns' must be non-negative";
  return success();
}

Operation *InferDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
