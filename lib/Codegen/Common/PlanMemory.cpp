//===- PlanMemory.cpp - infer-plan-memory ---------------------------------===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Liveness-based placement of a function's intermediate buffers in one
// arena. Needs buffers from one-shot bufferization, before deallocation is
// inserted; guarantees buffers live at the same time never overlap, and
// returned buffers keep their own allocation (the caller frees them).
//
//===----------------------------------------------------------------------===//

#include "infer/Codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"

#define DEBUG_TYPE "infer-plan-memory"

namespace mlir::infer {
#define GEN_PASS_DEF_PLANMEMORYPASS
#include "infer/Codegen/Passes.h.inc"
} // namespace mlir::infer

using namespace mlir;

static constexpr int64_t kAlignment = 64;

namespace {
/// A buffer to place: its allocation, size and live range (positions of
/// ops in the function's entry block).
struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  int64_t start = 0, end = 0;
  int64_t offset = -1;
};
} // namespace

/// The op of `block` that contains `op` (or `op` itself).
static Operation *topLevelAncestor(Operation *op, Block *block) {
  while (op && op->getBlock() != block)
    op = op->getParentOp();
  return op;
}

/// Live range of `value` and everything that may alias it in `block`;
/// fails if the buffer escapes (returned, or passed to a call). Aliases:
/// views of it, and conservatively every memref result of an op that uses
/// it (a loop that carries it, an scf.if or select that may yield it) or
/// whose region yields it.
static LogicalResult liveRange(Value value, Block *block,
                               DenseMap<Operation *, int64_t> &position,
                               int64_t &end) {
  SmallVector<Value> worklist = {value};
  DenseSet<Value> seen = {value};
  auto alias = [&](Value v) {
    if (isa<BaseMemRefType>(v.getType()) && seen.insert(v).second)
      worklist.push_back(v);
  };
  while (!worklist.empty()) {
    Value current = worklist.pop_back_val();
    for (Operation *user : current.getUsers()) {
      if (isa<func::ReturnOp, func::CallOp>(user))
        return failure();
      for (Value result : user->getResults())
        alias(result);
      // Yielded out of a region: the results of the enclosing ops alias it.
      if (user->hasTrait<OpTrait::IsTerminator>())
        for (Operation *parent = user->getParentOp();
             parent && parent->getBlock() && parent != block->getParentOp();
             parent = parent->getParentOp()) {
          for (Value result : parent->getResults())
            alias(result);
          if (parent->getBlock() == block)
            break;
        }
      Operation *top = topLevelAncestor(user, block);
      if (!top)
        return failure();
      end = std::max(end, position.lookup(top));
    }
  }
  return success();
}

/// First-fit offsets, largest buffers first: a buffer goes at the lowest
/// offset that clears every placed buffer whose live range meets its own.
static int64_t placeBuffers(MutableArrayRef<Buffer> buffers) {
  SmallVector<Buffer *> order;
  for (Buffer &buffer : buffers)
    order.push_back(&buffer);
  llvm::sort(order, [](Buffer *a, Buffer *b) {
    return a->bytes != b->bytes ? a->bytes > b->bytes : a->start < b->start;
  });
  int64_t total = 0;
  SmallVector<Buffer *> placed;
  for (Buffer *buffer : order) {
    SmallVector<std::pair<int64_t, int64_t>> taken;
    for (Buffer *other : placed)
      if (other->start <= buffer->end && buffer->start <= other->end)
        taken.push_back({other->offset, other->offset + other->bytes});
    llvm::sort(taken);
    int64_t offset = 0;
    for (auto [begin, finish] : taken) {
      if (offset + buffer->bytes <= begin)
        break;
      offset = std::max<int64_t>(offset, llvm::alignTo(finish, kAlignment));
    }
    buffer->offset = offset;
    total = std::max(total, offset + buffer->bytes);
    placed.push_back(buffer);
  }
  return total;
}

/// Whether nothing reads `value` (a buffer or a view of it): its users are
/// writes (ops that declare a write and no read effect, without results or
/// regions; a call or an op of unknown effects keeps it), deallocations and
/// views
/// that nothing reads, none of them a terminator (where the buffer escapes).
/// Collects those users in `uses`.
static bool isWriteOnly(Value value, SmallVectorImpl<Operation *> &uses) {
  for (OpOperand &use : value.getUses()) {
    Operation *user = use.getOwner();
    if (user->hasTrait<OpTrait::IsTerminator>())
      return false;
    // A copy into the buffer writes it (reading the source reads another).
    auto copy = dyn_cast<memref::CopyOp>(user);
    if (copy && copy.getTarget() == value && copy.getSource() != value) {
      uses.push_back(user);
      continue;
    }
    auto effects = dyn_cast<MemoryEffectOpInterface>(user);
    if (isa<memref::DeallocOp>(user) ||
        (effects && user->getNumResults() == 0 && user->getNumRegions() == 0 &&
         effects.hasEffect<MemoryEffects::Write>() &&
         !effects.hasEffect<MemoryEffects::Read>())) {
      uses.push_back(user);
      continue;
    }
    if (isa<ViewLikeOpInterface>(user) && user->getNumResults() == 1 &&
        isWriteOnly(user->getResult(0), uses)) {
      uses.push_back(user);
      continue;
    }
    return false;
  }
  return true;
}

/// Erases the allocations that are written and never read, with their
/// writes (upstream's memref::eraseDeadAllocAndStores, following every view
/// rather than subviews only).
static void eraseWriteOnlyBuffers(RewriterBase &rewriter, func::FuncOp func) {
  // Erasing a copy into a dead buffer may leave its source unread: again
  // until nothing changes.
  while (true) {
    SmallVector<Operation *> dead;
    func.walk([&](memref::AllocOp alloc) {
      SmallVector<Operation *> uses;
      if (isWriteOnly(alloc.getResult(), uses)) {
        // Users before their views, views before the buffer.
        dead.append(uses.begin(), uses.end());
        dead.push_back(alloc);
      }
    });
    if (dead.empty())
      return;
    llvm::SetVector<Operation *> unique(dead.begin(), dead.end());
    for (Operation *op : unique)
      rewriter.eraseOp(op);
  }
}

namespace {
struct PlanMemoryPass final : infer::impl::PlanMemoryPassBase<PlanMemoryPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
    // Buffers that are written and never read go first, with their stores:
    // the result of a contraction whose epilogue computed the value that is
    // used, in the same tiles.
    IRRewriter rewriter(&getContext());
    for (func::FuncOp func : funcs)
      if (!func.isExternal())
        eraseWriteOnlyBuffers(rewriter, func);
    for (func::FuncOp func : funcs)
      if (!func.isExternal() && func.getBody().hasOneBlock())
        planFunction(module, func);
  }

  void planFunction(ModuleOp module, func::FuncOp func) {
    Block *block = &func.getBody().front();
    DenseMap<Operation *, int64_t> position;
    for (auto [i, op] : llvm::enumerate(*block))
      position[&op] = i;
    SmallVector<Buffer> buffers;
    for (auto alloc : block->getOps<memref::AllocOp>()) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          type.getMemorySpace() || !type.getElementType().isIntOrFloat())
        continue;
      Buffer buffer;
      buffer.alloc = alloc;
      buffer.bytes =
          llvm::alignTo(type.getNumElements() *
                            llvm::divideCeil(type.getElementTypeBitWidth(), 8),
                        kAlignment);
      buffer.start = buffer.end = position[alloc];
      if (failed(liveRange(alloc.getResult(), block, position, buffer.end)))
        continue;
      buffers.push_back(buffer);
    }
    if (buffers.size() < 2)
      return;
    int64_t separate = 0;
    for (const Buffer &buffer : buffers)
      separate += buffer.bytes;
    int64_t arenaBytes = placeBuffers(buffers);

    MLIRContext *ctx = &getContext();
    OpBuilder builder(ctx);
    Location loc = func.getLoc();
    // The static arena and its busy flag.
    SymbolTable symbols(module);
    auto arenaType = MemRefType::get({arenaBytes}, builder.getI8Type());
    auto flagType = MemRefType::get({}, builder.getI32Type());
    builder.setInsertionPoint(func);
    auto arenaGlobal = memref::GlobalOp::create(
        builder, loc, ("__infer_arena_" + func.getName()).str(),
        builder.getStringAttr("private"), arenaType, Attribute(),
        /*constant=*/false, builder.getI64IntegerAttr(kAlignment));
    symbols.insert(arenaGlobal);
    auto flagGlobal = memref::GlobalOp::create(
        builder, loc, ("__infer_arena_busy_" + func.getName()).str(),
        builder.getStringAttr("private"), flagType,
        DenseElementsAttr::get(RankedTensorType::get({}, builder.getI32Type()),
                               builder.getI32IntegerAttr(0)),
        /*constant=*/false, IntegerAttr());
    symbols.insert(flagGlobal);

    // Entry: take the arena if free, else a private one.
    builder.setInsertionPointToStart(block);
    Value one = arith::ConstantIntOp::create(builder, loc, 1, 32);
    Value zero = arith::ConstantIntOp::create(builder, loc, 0, 32);
    Value flag = memref::GetGlobalOp::create(builder, loc, flagType,
                                             flagGlobal.getSymName());
    Value previous = memref::AtomicRMWOp::create(
        builder, loc, arith::AtomicRMWKind::assign, one, flag, ValueRange{});
    Value taken = arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::eq,
                                        previous, zero);
    auto choose = scf::IfOp::create(
        builder, loc, taken,
        [&](OpBuilder &b, Location l) {
          Value global = memref::GetGlobalOp::create(b, l, arenaType,
                                                     arenaGlobal.getSymName());
          scf::YieldOp::create(b, l, global);
        },
        [&](OpBuilder &b, Location l) {
          Value own = memref::AllocOp::create(b, l, arenaType,
                                              b.getI64IntegerAttr(kAlignment));
          scf::YieldOp::create(b, l, own);
        });
    Value arena = choose.getResult(0);

    // Each buffer becomes a view at its offset.
    IRRewriter rewriter(ctx);
    for (Buffer &buffer : buffers) {
      rewriter.setInsertionPoint(buffer.alloc);
      Value offset = arith::ConstantIndexOp::create(
          rewriter, buffer.alloc.getLoc(), buffer.offset);
      Value view = memref::ViewOp::create(rewriter, buffer.alloc.getLoc(),
                                          buffer.alloc.getType(), arena, offset,
                                          ValueRange{});
      rewriter.replaceOp(buffer.alloc, view);
    }
    // Every exit gives the static arena back.
    func.walk([&](func::ReturnOp ret) {
      rewriter.setInsertionPoint(ret);
      scf::IfOp::create(
          rewriter, ret.getLoc(), taken, [&](OpBuilder &b, Location l) {
            memref::AtomicRMWOp::create(b, l, arith::AtomicRMWKind::assign,
                                        zero, flag, ValueRange{});
            scf::YieldOp::create(b, l);
          });
    });
    func->setAttr("infer.arena_bytes", builder.getI64IntegerAttr(arenaBytes));
    func->setAttr("infer.separate_bytes", builder.getI64IntegerAttr(separate));
    if (report) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "infer-plan-memory: @" << func.getName() << ": " << buffers.size()
         << " intermediate buffers in an arena of " << arenaBytes << " bytes ("
         << llvm::format("%.2f", arenaBytes / 1048576.0) << " MiB; " << separate
         << " bytes without reuse)";
      emitRemark(func.getLoc(), text);
    }
  }
};
} // namespace
