//===- ExtractTuningTasks.cpp - infer-cpu-extract-tuning-tasks ------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Writes the distinct tuning tasks of a module as JSON lines for infer-tune
// (docs/tuning.md): the schedule tasks of linalg on tensors with schedules
// (after infer-cpu-select-schedule; the IR is left unchanged), and the
// layout tasks of linalg on tensors before infer-cpu-pack-weights (constant
// transposes are folded, as that pass does first).
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/CPU/Tuning.h"
#include "infer/Codegen/Passes.h"
#include "infer/Codegen/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::infer {
#define GEN_PASS_DEF_CPUEXTRACTLAYOUTTASKSPASS
#define GEN_PASS_DEF_CPUEXTRACTTUNINGTASKSPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;
using namespace mlir::infer;

static std::string printed(Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return text;
}

static llvm::json::Array integers(ArrayRef<int64_t> values) {
  llvm::json::Array array;
  for (int64_t v : values)
    array.push_back(v);
  return array;
}

/// The arguments of `module`'s @main as [{"shape": [...], "type": "f32"}].
static llvm::json::Array taskInputs(ModuleOp module) {
  llvm::json::Array inputs;
  for (BlockArgument arg :
       module.lookupSymbol<func::FuncOp>("main").getArguments()) {
    auto type = cast<ShapedType>(arg.getType());
    std::string element;
    llvm::raw_string_ostream es(element);
    type.getElementType().print(es);
    inputs.push_back(llvm::json::Object{{"shape", integers(type.getShape())},
                                        {"type", element}});
  }
  return inputs;
}

static std::string printed(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os);
  return text;
}

/// What infer-tune reads of the target (the search model's registers and
/// caches) and the threads the task plans for.
static llvm::json::Object targetJson(const CPUTargetModel &target,
                                     int64_t threads) {
  return llvm::json::Object{{"cpu", target.cpu},
                            {"vector_bits", target.vectorBits},
                            {"vector_registers", target.vectorRegisters},
                            {"l1_bytes", target.l1Bytes},
                            {"l2_bytes", target.l2Bytes},
                            {"l3_bytes", target.l3Bytes},
                            {"cores", target.cores},
                            {"threads", threads}};
}

/// Writes `tasks` to `output` as JSON lines; the error is at `root`.
static LogicalResult writeTasks(Operation *root, StringRef output,
                                MutableArrayRef<llvm::json::Object> tasks) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(output, &error);
  if (!file)
    return emitError(root->getLoc())
           << "cannot write tuning tasks to '" << output << "': " << error;
  for (llvm::json::Object &task : tasks)
    file->os() << llvm::json::Value(std::move(task)) << "\n";
  file->keep();
  return success();
}

static llvm::json::Object layoutJson(const WeightLayout &layout) {
  return llvm::json::Object{{"im2col", layout.im2col}, {"panel", layout.panel}};
}

namespace {
struct CPUExtractTuningTasksPass final
    : infer::impl::CPUExtractTuningTasksPassBase<CPUExtractTuningTasksPass> {
  using Base::Base;

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    // Tasks in order of first appearance, with how many ops share each.
    llvm::StringMap<size_t> index;
    SmallVector<llvm::json::Object> tasks;
    // Epilogues run on their anchor's tiles and are part of its task.
    llvm::MapVector<Operation *, SmallVector<linalg::GenericOp>> epilogues;
    DenseSet<Operation *> inEpilogue;
    for (auto func : getOperation().getOps<func::FuncOp>())
      for (auto &entry : findScheduleEpilogues(func)) {
        for (linalg::GenericOp user : entry.second)
          inEpilogue.insert(user);
        epilogues.insert(std::move(entry));
      }
    getOperation().walk([&](linalg::LinalgOp op) {
      auto schedule = op->getAttrOfType<ScheduleAttr>(kScheduleAttrName);
      if (!schedule || op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>() || inEpilogue.contains(op))
        return;
      // An initialization (a fill, a bias broadcast) runs inside the tiles
      // of the ops whose destination it is.
      if (runsInConsumerTiles(op))
        return;
      std::string key = getTuningKey(op, target, count);
      auto [it, inserted] = index.try_emplace(key, tasks.size());
      if (!inserted) {
        llvm::json::Object &task = tasks[it->second];
        task["count"] = *task.getInteger("count") + 1;
        return;
      }
      ArrayRef<linalg::GenericOp> epilogue;
      auto chain = epilogues.find(op);
      if (chain != epilogues.end())
        epilogue = chain->second;
      OwningOpRef<ModuleOp> module = extractTuningTask(op, epilogue);
      llvm::json::Array epilogueOps;
      for (linalg::GenericOp user : epilogue)
        epilogueOps.push_back(describeLinalgOp(user));
      llvm::json::Array iterators;
      for (utils::IteratorType t : op.getIteratorTypesArray())
        iterators.push_back(t == utils::IteratorType::parallel ? "parallel"
                                                               : "reduction");
      tasks.push_back(llvm::json::Object{
          {"key", key},
          {"op", describeLinalgOp(op)},
          {"name", op->getName().getStringRef()},
          {"kind", stringifyScheduleKind(schedule.getKind())},
          {"count", 1},
          {"epilogue", std::move(epilogueOps)},
          {"loops", integers(op.getStaticLoopRanges())},
          {"iterators", std::move(iterators)},
          {"schedule", printed(schedule)},
          {"estimate_ns", schedule.getEstimateNs()},
          {"inputs", taskInputs(*module)},
          {"module", printed(*module)},
          {"target", targetJson(target, count)},
      });
    });
    if (failed(writeTasks(getOperation(), output, tasks)))
      return signalPassFailure();
  }
};

struct CPUExtractLayoutTasksPass final
    : infer::impl::CPUExtractLayoutTasksPassBase<CPUExtractLayoutTasksPass> {
  using Base::Base;

  void runOnOperation() override {
    CPUTargetModel target = CPUTargetModel::forCPU(targetCPU, targetFeatures);
    int64_t count = threads > 0 ? int64_t(threads) : target.cores;
    // As infer-cpu-pack-weights sees the ops.
    foldConstantTransposes(getOperation());
    llvm::StringMap<size_t> index;
    SmallVector<llvm::json::Object> tasks;
    getOperation().walk([&](linalg::LinalgOp op) {
      SmallVector<WeightLayout> choices = getWeightLayoutChoices(op, target);
      if (choices.size() < 2)
        return;
      std::string key = getLayoutKey(op, target, count);
      auto [it, inserted] = index.try_emplace(key, tasks.size());
      if (!inserted) {
        llvm::json::Object &task = tasks[it->second];
        task["count"] = *task.getInteger("count") + 1;
        return;
      }
      llvm::json::Array variants;
      for (const WeightLayout &layout : choices) {
        OwningOpRef<ModuleOp> module = extractLayoutTask(op, layout, target);
        variants.push_back(llvm::json::Object{
            {"layout", layoutJson(layout)},
            {"text", layout.str()},
            {"inputs", taskInputs(*module)},
            {"module", printed(*module)},
        });
      }
      tasks.push_back(llvm::json::Object{
          {"key", key},
          {"op", describeLinalgOp(op)},
          {"name", op->getName().getStringRef()},
          {"kind", "layout"},
          {"count", 1},
          {"flops", 2 * getLoopVolume(op)},
          {"model_layout", layoutJson(choices.front())},
          {"variants", std::move(variants)},
          {"target", targetJson(target, count)},
      });
    });
    if (failed(writeTasks(getOperation(), output, tasks)))
      return signalPassFailure();
  }
};
} // namespace
