//===- InputCheck.h - checks on IR text before parsing ----------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_SUPPORT_INPUTCHECK_H
#define INFER_SUPPORT_INPUTCHECK_H

#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/SourceMgr.h"

namespace mlir::infer {

/// Checks the hex blobs of a `{-# dialect_resources: ... #-}` section in
/// buffer `bufferId` of `sourceMgr`: each must start with a 4-byte
/// little-endian alignment that is a power of two. MLIR 22's parser accepts
/// an alignment of 0 and then aborts while allocating the blob, so our tools
/// run this first; an offending blob is reported at its location.
llvm::LogicalResult checkResourceBlobs(llvm::SourceMgr &sourceMgr,
                                       unsigned bufferId);

/// Checks that the custom form of linalg.transpose, linalg.broadcast and
/// linalg.reduce has `permutation`/`dimensions` `= [...]` with only integers
/// in the list. MLIR 22's linalg parser stores whatever
/// DenseI64ArrayAttr::parse returns, null on anything else, and then
/// crashes; the offending list is reported at its location instead.
llvm::LogicalResult checkIntegerLists(llvm::SourceMgr &sourceMgr,
                                      unsigned bufferId);

/// Every check above; what our tools run on textual IR before parsing it.
llvm::LogicalResult checkInput(llvm::SourceMgr &sourceMgr, unsigned bufferId);

} // namespace mlir::infer

#endif // INFER_SUPPORT_INPUTCHECK_H
