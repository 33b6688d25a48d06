//===- Tuning.cpp - tuning tasks and the tuning database ------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Task keys are text a person can read in the database: the op and its
// shapes first, then what else decides the generated code (indexing maps,
// iterators, the body's operations, the target, the threads). The task
// module is the op with its inputs as arguments, which infer-tune times
// with candidate schedules substituted.
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/Tuning.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::infer;

static void printShape(raw_ostream &os, Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped) {
    os << type;
    return;
  }
  for (int64_t size : shaped.getShape()) {
    if (ShapedType::isDynamic(size))
      os << "?x";
    else
      os << size << "x";
  }
  os << shaped.getElementType();
}

std::string mlir::infer::describeLinalgOp(linalg::LinalgOp op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getName().getStringRef() << " ";
  llvm::interleave(
      op.getDpsInputs(), os, [&](Value v) { printShape(os, v.getType()); },
      ", ");
  os << " -> ";
  llvm::interleave(
      op.getDpsInits(), os, [&](Value v) { printShape(os, v.getType()); },
      ", ");
  return text;
}

std::string mlir::infer::getTuningKey(linalg::LinalgOp op,
                                      const CPUTargetModel &target,
                                      int64_t threads) {
  std::string text = describeLinalgOp(op);
  llvm::raw_string_ostream os(text);
  os << " maps=[";
  llvm::interleave(
      op.getIndexingMapsArray(), os, [&](AffineMap map) { map.print(os); },
      "; ");
  os << "] iterators=[";
  for (utils::IteratorType t : op.getIteratorTypesArray())
    os << (t == utils::IteratorType::parallel ? "p" : "r");
  // The body decides the code as much as the shapes do (a bias add fused in
  // a generic, an integer requantization).
  os << "] body=[";
  llvm::interleave(llvm::map_range(op.getBlock()->getOperations(),
                                   [](Operation &inner) {
                                     return inner.getName().getStringRef();
                                   }),
                   os, ",");
  // The CPU and what the code generator reads of its features (the full
  // feature list would make keys unreadable).
  os << "] cpu=" << target.cpu << " vector=" << target.vectorBits;
  if (target.hasVNNI)
    os << "+vnni";
  if (target.hasBF16)
    os << "+bf16";
  if (target.hasAMX)
    os << "+amx";
  os << " threads=" << threads;
  return text;
}

bool mlir::infer::runsInConsumerTiles(linalg::LinalgOp op) {
  if (op->getNumResults() != 1 || op->getResult(0).use_empty())
    return false;
  return llvm::all_of(op->getResult(0).getUses(), [](OpOperand &use) {
    auto user = dyn_cast<linalg::LinalgOp>(use.getOwner());
    return user && user.isDpsInit(&use) && user->hasAttr(kScheduleAttrName);
  });
}

//===----------------------------------------------------------------------===//
// Task modules
//===----------------------------------------------------------------------===//

namespace {
/// Builds `@main` of a task module, one operand at a time.
class TaskBuilder {
public:
  TaskBuilder(func::FuncOp func, OpBuilder &builder, bool keepConstants)
      : func(func), builder(builder), keepConstants(keepConstants) {}

  /// `value` inside the task: cloned when it is a small constant (any
  /// constant with `keepConstants`) or the initialization of a destination
  /// (`init`), else a new argument.
  Value materialize(Value value, bool init) {
    if (Value known = mapping.lookupOrNull(value))
      return known;
    Operation *def = value.getDefiningOp();
    Value result;
    if (def && isa<tensor::EmptyOp>(def) && def->getNumOperands() == 0) {
      result = builder.clone(*def)->getResult(0);
    } else if (auto cst = dyn_cast_or_null<arith::ConstantOp>(def);
               cst && (keepConstants || !isa<ShapedType>(cst.getType()) ||
                       isa<SplatElementsAttr>(cst.getValue()))) {
      result = builder.clone(*def)->getResult(0);
    } else if (auto producer = dyn_cast_or_null<linalg::LinalgOp>(def);
               producer && init && def->getNumResults() == 1) {
      // The fill or bias broadcast that starts an accumulator: its inputs
      // are arguments, its destination is built the same way.
      IRMapping operands;
      captureFromAbove(def, operands);
      for (OpOperand &operand : def->getOpOperands())
        operands.map(operand.get(),
                     materialize(operand.get(), producer.isDpsInit(&operand)));
      result = builder.clone(*def, operands)->getResult(0);
    } else if (auto type = dyn_cast<RankedTensorType>(value.getType());
               init && type && type.hasStaticShape()) {
      // Any other destination (a reshaped buffer reused by CSE): an empty
      // tensor of its type. An argument would be copied before it is written
      // (arguments are read-only), which the op in the model does not do;
      // the values do not matter for timing.
      result = tensor::EmptyOp::create(builder, value.getLoc(), type.getShape(),
                                       type.getElementType());
    } else {
      result = addArgument(value.getType(), value.getLoc());
    }
    mapping.map(value, result);
    return result;
  }

  /// Maps the values `user`'s regions use from above (a constant divisor).
  void captureFromAbove(Operation *user, IRMapping &mapping) {
    llvm::SetVector<Value> above;
    getUsedValuesDefinedAbove(user->getRegions(), above);
    for (Value value : above)
      mapping.map(value, materialize(value, /*init=*/false));
  }

  Value addArgument(Type type, Location loc) {
    Block &entry = func.getBody().front();
    Value arg = entry.addArgument(type, loc);
    func.setFunctionType(
        FunctionType::get(func.getContext(), entry.getArgumentTypes(),
                          func.getFunctionType().getResults()));
    return arg;
  }

private:
  func::FuncOp func;
  OpBuilder &builder;
  bool keepConstants;
  IRMapping mapping;
};
} // namespace

/// The task module of `op` and its `epilogue`; `keepConstants` keeps the
/// op's constant operands (its weights) as constants.
static OwningOpRef<ModuleOp> extractTask(linalg::LinalgOp op,
                                         ArrayRef<linalg::GenericOp> epilogue,
                                         bool keepConstants) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder builder(ctx);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, loc, "main",
                                   FunctionType::get(ctx, {}, {}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToEnd(entry);
  TaskBuilder task(func, builder, keepConstants);
  IRMapping operands;
  task.captureFromAbove(op, operands);
  for (OpOperand &operand : op->getOpOperands())
    operands.map(operand.get(),
                 task.materialize(operand.get(), op.isDpsInit(&operand)));
  Operation *clone = builder.clone(*op, operands);
  // Each epilogue op reads the previous result; its other operands (a
  // residual, a bias) are arguments, its destination is rebuilt.
  Value source = op->getResult(0);
  for (linalg::GenericOp user : epilogue) {
    IRMapping userOperands;
    task.captureFromAbove(user, userOperands);
    for (OpOperand &operand : user->getOpOperands())
      userOperands.map(
          operand.get(),
          operand.get() == source
              ? clone->getResult(0)
              : task.materialize(operand.get(), user.isDpsInit(&operand)));
    clone = builder.clone(*user, userOperands);
    // It runs on the anchor's tiles, as in the model.
    clone->removeAttr(kScheduleAttrName);
    source = user->getResult(0);
  }
  func::ReturnOp::create(builder, loc, clone->getResults());
  func.setFunctionType(FunctionType::get(ctx, entry->getArgumentTypes(),
                                         clone->getResultTypes()));
  return module;
}

OwningOpRef<ModuleOp>
mlir::infer::extractTuningTask(linalg::LinalgOp op,
                               ArrayRef<linalg::GenericOp> epilogue) {
  return extractTask(op, epilogue, /*keepConstants=*/false);
}

std::string mlir::infer::getLayoutKey(linalg::LinalgOp op,
                                      const CPUTargetModel &target,
                                      int64_t threads) {
  return "layout " + getTuningKey(op, target, threads);
}

int64_t mlir::infer::getLoopVolume(linalg::LinalgOp op) {
  int64_t volume = 1;
  for (int64_t extent : op.getStaticLoopRanges())
    if (!ShapedType::isDynamic(extent))
      volume *= extent;
  return volume;
}

OwningOpRef<ModuleOp>
mlir::infer::extractLayoutTask(linalg::LinalgOp op, const WeightLayout &layout,
                               const CPUTargetModel &target) {
  OwningOpRef<ModuleOp> module = extractTask(op, {}, /*keepConstants=*/true);
  auto main = module->lookupSymbol<func::FuncOp>("main");
  Block &entry = main.getBody().front();
  // The op computes what @main returns.
  Operation *clone = entry.getTerminator()->getOperand(0).getDefiningOp();
  setForcedWeightLayout(clone, layout);
  packWeights(*module, target);
  // The laid-out weights are inputs of the task: their values do not
  // matter for timing, and a constant of megabytes has no place in a task
  // file. Splats (the zero of a padding, of a fill) stay.
  SmallVector<arith::ConstantOp> weights;
  main.walk([&](arith::ConstantOp constant) {
    auto value = dyn_cast<ElementsAttr>(constant.getValue());
    if (value && !isa<SplatElementsAttr>(value) && value.getNumElements() > 1)
      weights.push_back(constant);
  });
  for (arith::ConstantOp constant : weights) {
    Value arg = entry.addArgument(constant.getType(), constant.getLoc());
    constant.replaceAllUsesWith(arg);
    constant.erase();
  }
  main.setFunctionType(FunctionType::get(module->getContext(),
                                         entry.getArgumentTypes(),
                                         main.getFunctionType().getResults()));
  return module;
}

//===----------------------------------------------------------------------===//
// The database
//===----------------------------------------------------------------------===//

/// The line where record `index` of the "records" array starts in `text`
/// (1-based; 1 when not found), for diagnostics: a scan of the JSON text
/// that counts the objects directly inside that array.
static unsigned lineOfRecord(StringRef text, size_t index) {
  size_t at = text.find("\"records\"");
  if (at == StringRef::npos)
    return 1;
  at = text.find('[', at);
  if (at == StringRef::npos)
    return 1;
  size_t seen = 0;
  int depth = 0;
  bool inString = false;
  for (size_t i = at + 1; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (depth == 0 && c == '{' && seen++ == index)
        return 1 + text.take_front(i).count('\n');
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth-- == 0)
        break;
    }
  }
  return 1;
}

FailureOr<std::shared_ptr<TuningDatabase>>
TuningDatabase::load(MLIRContext *ctx, StringRef path) {
  auto fileLoc = [&](unsigned line, unsigned column) -> Location {
    return FileLineColLoc::get(ctx, path, line, column);
  };
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer) {
    emitError(UnknownLoc::get(ctx)) << "cannot open tuning database '" << path
                                    << "': " << buffer.getError().message();
    return failure();
  }
  StringRef text = (*buffer)->getBuffer();
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    // "[line:column, byte=N]: message"
    std::string message = llvm::toString(parsed.takeError());
    unsigned line = 1, column = 1;
    StringRef rest(message);
    if (rest.consume_front("[")) {
      StringRef position = rest.take_until([](char c) { return c == ','; });
      auto [l, c] = position.split(':');
      (void)l.getAsInteger(10, line);
      (void)c.getAsInteger(10, column);
      size_t colon = rest.find("]: ");
      if (colon != StringRef::npos)
        message = rest.drop_front(colon + 3).str();
    }
    emitError(fileLoc(line, column))
        << "tuning database is not valid JSON: " << message;
    return failure();
  }
  const llvm::json::Object *root = parsed->getAsObject();
  std::optional<StringRef> format =
      root ? root->getString("format") : std::nullopt;
  if (!format || *format != "infer-tuning-db") {
    emitError(fileLoc(1, 1))
        << "not an infer tuning database (expected an object with "
           "\"format\": \"infer-tuning-db\"; infer-tune writes one)";
    return failure();
  }
  std::optional<int64_t> version = root->getInteger("schedule_version");
  if (!version || *version != kScheduleVersion) {
    emitError(fileLoc(1, 1))
        << "stale tuning database: its schedules are of version "
        << (version ? std::to_string(*version) : std::string("(none)"))
        << ", this infer-mlir applies version " << kScheduleVersion
        << "; tune again with infer-tune";
    return failure();
  }
  const llvm::json::Array *records = root->getArray("records");
  if (!records) {
    emitError(fileLoc(1, 1)) << "tuning database has no \"records\" array";
    return failure();
  }
  auto db = std::make_shared<TuningDatabase>();
  db->path = path.str();
  for (auto [index, value] : llvm::enumerate(*records)) {
    Location at = fileLoc(lineOfRecord(text, index), 1);
    const llvm::json::Object *record = value.getAsObject();
    std::optional<StringRef> key =
        record ? record->getString("key") : std::nullopt;
    std::optional<StringRef> schedule =
        record ? record->getString("schedule") : std::nullopt;
    const llvm::json::Object *layout =
        record ? record->getObject("layout") : nullptr;
    if (!key || (!schedule && !layout)) {
      emitError(at) << "tuning database record " << index
                    << " needs a \"key\" and a \"schedule\" string or a "
                       "\"layout\" object";
      return failure();
    }
    if (layout) {
      std::optional<bool> im2col = layout->getBoolean("im2col");
      std::optional<int64_t> panel = layout->getInteger("panel");
      if (!im2col || !panel || *panel < 0) {
        emitError(at) << "tuning database record " << index
                      << ": \"layout\" needs \"im2col\" (true or false) and "
                         "\"panel\" (the panel width in columns, 0: "
                         "unpacked)";
        return failure();
      }
      LayoutRecord entry;
      entry.layout = WeightLayout{*im2col, *panel};
      entry.tunedMs = record->getNumber("tuned_ms").value_or(0);
      entry.modelMs = record->getNumber("model_ms").value_or(0);
      auto [it, inserted] = db->layouts.try_emplace(*key, entry);
      if (!inserted && entry.tunedMs > 0 &&
          (it->second.tunedMs <= 0 || entry.tunedMs < it->second.tunedMs))
        it->second = entry;
      continue;
    }
    size_t read = 0;
    std::string why;
    Attribute attr;
    {
      // The parser's own message goes into ours, at the record.
      ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &diag) {
        if (why.empty())
          why = diag.str();
        return success();
      });
      attr = parseAttribute(*schedule, ctx, Type(), &read,
                            /*isKnownNullTerminated=*/false);
    }
    auto scheduleAttr = dyn_cast_or_null<ScheduleAttr>(attr);
    if (!scheduleAttr || read != schedule->size()) {
      InFlightDiagnostic diag = emitError(at);
      diag << "tuning database record " << index
           << ": \"schedule\" is not an #infer.schedule attribute: '"
           << *schedule << "'";
      if (!why.empty())
        diag << " (" << why << ")";
      return failure();
    }
    Record entry;
    entry.schedule = ScheduleAttr::get(
        ctx, scheduleAttr.getKind(), scheduleAttr.getDistribute(),
        scheduleAttr.getCache(), scheduleAttr.getVector(),
        scheduleAttr.getReduce(), scheduleAttr.getOrder(),
        ScheduleOrigin::Tuned, scheduleAttr.getEstimateNs());
    entry.tunedMs = record->getNumber("tuned_ms").value_or(0);
    entry.modelMs = record->getNumber("model_ms").value_or(0);
    entry.compiler = record->getString("compiler").value_or("").str();
    // Records of the same task from several runs: the fastest wins.
    auto [it, inserted] = db->records.try_emplace(*key, entry);
    if (!inserted && entry.tunedMs > 0 &&
        (it->second.tunedMs <= 0 || entry.tunedMs < it->second.tunedMs))
      it->second = entry;
  }
  return db;
}

LogicalResult TuningDatabase::loadOption(MLIRContext *ctx, StringRef path,
                                         std::shared_ptr<TuningDatabase> &db) {
  if (path.empty())
    return success();
  FailureOr<std::shared_ptr<TuningDatabase>> loaded = load(ctx, path);
  if (failed(loaded))
    return failure();
  db = *loaded;
  return success();
}

const TuningDatabase::Record *TuningDatabase::lookup(StringRef key) const {
  auto it = records.find(key);
  return it == records.end() ? nullptr : &it->second;
}

const TuningDatabase::LayoutRecord *
TuningDatabase::lookupLayout(StringRef key) const {
  auto it = layouts.find(key);
  return it == layouts.end() ? nullptr : &it->second;
}
