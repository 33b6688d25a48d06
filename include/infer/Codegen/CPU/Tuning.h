//===- Tuning.h - tuning tasks and the tuning database ----------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What `infer-tune` measures and `infer-cpu-select-schedule` replays: the
// task of a linalg op (its key: op, indexing maps, body, shapes, element
// types, target CPU, threads), a standalone module that computes one task
// for timing, and the tuning database of measured schedules keyed by task.
// The database format is documented in docs/tuning.md.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CODEGEN_CPU_TUNING_H
#define INFER_CODEGEN_CPU_TUNING_H

#include "infer/Codegen/CPU/TargetModel.h"
#include "infer/Dialect/Infer/IR/InferAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

#include <memory>

namespace mlir::infer {

/// The version of what a schedule's tile lists mean to infer-tile. A tuning
/// database written for another version is stale: replaying it is an error.
/// Bump it when infer-tile applies a schedule differently.
inline constexpr int64_t kScheduleVersion = 1;

/// "linalg.matmul 3136x256xf32, 256x64xf32 -> 3136x64xf32": the op and the
/// shapes of its operands.
std::string describeLinalgOp(linalg::LinalgOp op);

/// The key of `op`'s tuning task on `target` with `threads` threads: the
/// op, its operand shapes and element types, indexing maps, iterator types
/// and body, and the target (CPU name, vector width, dot-product and AMX
/// units). Two ops with the same key run the same code.
std::string getTuningKey(linalg::LinalgOp op, const CPUTargetModel &target,
                         int64_t threads);

/// A module whose `@main` computes `op` and its `epilogue` (the elementwise
/// consumers infer-tile runs on its tiles, see findScheduleEpilogues): the
/// inputs (and whatever operand cannot be rebuilt) become arguments; the
/// initialization of a destination (tensor.empty, a fill, a broadcast of a
/// bias) is cloned, as infer-tile fuses it into the tiles. The op keeps its
/// attributes (the schedule included); the epilogue ops lose theirs.
OwningOpRef<ModuleOp>
extractTuningTask(linalg::LinalgOp op,
                  ArrayRef<linalg::GenericOp> epilogue = {});

/// Whether `op` runs inside the tiles of the scheduled ops that consume it:
/// it initializes their destinations (a fill, a broadcast of a bias), which
/// infer-tile fuses into their tiles. Such an op is no task of its own.
bool runsInConsumerTiles(linalg::LinalgOp op);

/// How infer-cpu-pack-weights lays out the constant weights of an op:
/// `im2col` turns a KxK convolution into its im2col matrix times the filter
/// (else it stays a direct convolution); `panel` is the width in columns of
/// the packed panels of the matrix product's constant operand (0: left
/// unpacked). It is the layout knob of the tuner (docs/tuning.md).
struct WeightLayout {
  bool im2col = false;
  int64_t panel = 0;

  bool operator==(const WeightLayout &other) const {
    return im2col == other.im2col && panel == other.panel;
  }
  /// "im2col, panels of 32", "panels of 16", "unpacked" (a KxK convolution:
  /// direct).
  std::string str() const;
};

/// The discardable attribute (`{im2col = true, panel = 32 : i64}`) that
/// forces an op's weight layout on infer-cpu-pack-weights.
inline constexpr StringLiteral kLayoutAttrName = "infer.layout";

/// The layouts infer-cpu-pack-weights can give `op` on `target`, the
/// model's choice first; empty when `op` has no weight layout to choose (a
/// variable operand, dynamic shapes, another element type than f32).
SmallVector<WeightLayout> getWeightLayoutChoices(linalg::LinalgOp op,
                                                 const CPUTargetModel &target);

/// The layout `op` is forced to by its kLayoutAttrName attribute, if any.
std::optional<WeightLayout> getForcedWeightLayout(Operation *op);
void setForcedWeightLayout(Operation *op, const WeightLayout &layout);

/// The key of `op`'s layout task: "layout " and its tuning key.
std::string getLayoutKey(linalg::LinalgOp op, const CPUTargetModel &target,
                         int64_t threads);

/// Multiply-adds of `op` (the product of its static loop extents).
int64_t getLoopVolume(linalg::LinalgOp op);

/// A module whose `@main` computes `op` with weight layout `layout`, as
/// infer-cpu-pack-weights lays it out on `target`: the op with its constant
/// weights is packed, then every constant that is not a splat (the packed
/// weights) becomes an argument, as the op's inputs do. The layout task's
/// candidate (infer-cpu-extract-layout-tasks).
OwningOpRef<ModuleOp> extractLayoutTask(linalg::LinalgOp op,
                                        const WeightLayout &layout,
                                        const CPUTargetModel &target);

/// Folds the transposes of constants under `root` into new constants (the
/// first step of infer-cpu-pack-weights, before layouts are looked up).
void foldConstantTransposes(Operation *root);

/// Re-lays out the constant weights under `root` for `target` (the pattern
/// sets of infer-cpu-pack-weights, applied to a fixpoint): the layout of an
/// op with a kLayoutAttrName attribute is the forced one, any other the
/// model's. The attributes are dropped afterwards.
void packWeights(Operation *root, const CPUTargetModel &target);

/// A tuning database (docs/tuning.md): the measured schedule of each task.
class TuningDatabase {
public:
  struct Record {
    ScheduleAttr schedule;
    /// Measured milliseconds of the tuned and the model's schedule.
    double tunedMs = 0;
    double modelMs = 0;
    /// The infer-mlir version that measured it.
    std::string compiler;
  };

  /// Reads `path`. Errors (unreadable, not JSON, another format, a stale
  /// schedule version, a record without a valid schedule) are emitted at
  /// the file's location.
  static FailureOr<std::shared_ptr<TuningDatabase>> load(MLIRContext *ctx,
                                                         StringRef path);

  /// A measured weight layout (a record with "layout" instead of
  /// "schedule").
  struct LayoutRecord {
    WeightLayout layout;
    double tunedMs = 0;
    double modelMs = 0;
  };

  /// `load(ctx, path)` into `db` when `path` is not empty (a pass's
  /// `tuning-db` option); `db` stays null without one.
  static LogicalResult loadOption(MLIRContext *ctx, StringRef path,
                                  std::shared_ptr<TuningDatabase> &db);

  /// The record of `key`, or null.
  const Record *lookup(StringRef key) const;
  const LayoutRecord *lookupLayout(StringRef key) const;

  StringRef getPath() const { return path; }
  size_t size() const { return records.size() + layouts.size(); }

private:
  std::string path;
  llvm::StringMap<Record> records;
  llvm::StringMap<LayoutRecord> layouts;
};

} // namespace mlir::infer

#endif // INFER_CODEGEN_CPU_TUNING_H
