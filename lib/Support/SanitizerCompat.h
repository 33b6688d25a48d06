//===- SanitizerCompat.h - ASan with an uninstrumented LLVM -----*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Force-included (-include) into every file of an INFER_SANITIZERS=address
// build. LLVM's headers take "this file is compiled with ASan" to mean "LLVM
// is built with ASan": BumpPtrAllocator then poisons the unused part of every
// slab it allocates and unpoisons each allocation. Debian's libLLVM/libMLIR
// are not instrumented: when our code (an attribute's storage, say) starts a
// slab of an MLIR context's allocator and libMLIR then allocates from it, the
// poison is never lifted and ASan reports a use-after-poison that is not a
// bug. The interface is declared first, then the poisoning made a no-op, so
// our inline copies of the allocator behave as libMLIR's do. Real heap errors
// (malloc, new) are still caught.
//
//===----------------------------------------------------------------------===//

#ifndef INFER_SUPPORT_SANITIZERCOMPAT_H
#define INFER_SUPPORT_SANITIZERCOMPAT_H

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define __asan_poison_memory_region(addr, size) ((void)(addr), (void)(size))
#endif
#endif

#endif // INFER_SUPPORT_SANITIZERCOMPAT_H
