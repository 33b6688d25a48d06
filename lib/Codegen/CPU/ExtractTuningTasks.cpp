//===- ExtractTuningTasks.cpp - infer-cpu-extract-tuning-tasks ------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Writes the distinct tuning tasks of a scheduled module as JSON lines for
// infer-tune (docs/tuning.md). Needs linalg on tensors with schedules
// (after infer-cpu-select-schedule); leaves the IR unchanged.
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
      std::string text;
      llvm::raw_string_ostream os(text);
      module->print(os);
      llvm::json::Array inputs;
      for (BlockArgument arg :
           module->lookupSymbol<func::FuncOp>("main").getArguments()) {
        auto type = cast<ShapedType>(arg.getType());
        std::string element;
        llvm::raw_string_ostream es(element);
        type.getElementType().print(es);
        inputs.push_back(llvm::json::Object{
            {"shape", integers(type.getShape())}, {"type", element}});
      }
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
          {"inputs", std::move(inputs)},
          {"module", text},
          {"target",
           llvm::json::Object{{"cpu", target.cpu},
                              {"vector_bits", target.vectorBits},
                              {"vector_registers", target.vectorRegisters},
                              {"l1_bytes", target.l1Bytes},
                              {"l2_bytes", target.l2Bytes},
                              {"l3_bytes", target.l3Bytes},
                              {"cores", target.cores},
                              {"threads", count}}},
      });
    });
    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(output, &error);
    if (!file) {
      emitError(getOperation().getLoc())
          << "cannot write tuning tasks to '" << output << "': " << error;
      return signalPassFailure();
    }
    for (llvm::json::Object &task : tasks)
      file->os() << llvm::json::Value(std::move(task)) << "\n";
    file->keep();
  }
};
} // namespace
