//===- Rewrite.h - greedy rewriting to a fixpoint ---------------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The greedy driver gives up after 10 sweeps by default and reports that as
// a failure without a diagnostic. Our patterns each keep the program correct,
// so a large model that needs more sweeps (a 121-layer DenseNet moving its
// transposes one concatenation at a time) is not an error: it gets more
// sweeps, and if even those do not settle, a warning at the op and the IR as
// it is.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_SUPPORT_REWRITE_H
#define INFER_SUPPORT_REWRITE_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::infer {

/// Applies `patterns` greedily to `op` until nothing changes (at most
/// `maxSweeps` sweeps); warns, naming `pass`, when they do not settle.
inline void applyPatternsToFixpoint(Operation *op,
                                    const FrozenRewritePatternSet &patterns,
                                    StringRef pass,
                                    GreedyRewriteConfig config = {},
                                    int64_t maxSweeps = 1000) {
  config.setMaxIterations(maxSweeps);
  if (failed(applyPatternsGreedily(op, patterns, config)))
    op->emitWarning() << pass << ": rewriting did not settle after "
                      << maxSweeps << " sweeps; the result is correct but "
                      << "may be less optimized";
}

} // namespace mlir::infer

#endif // INFER_SUPPORT_REWRITE_H
