//===- TargetModel.h - the CPU the code generator targets -------*- C++ -*-===//
//
// Part of the infer-mlir project.
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef INFER_CODEGEN_CPU_TARGETMODEL_H
#define INFER_CODEGEN_CPU_TARGETMODEL_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace mlir::infer {

/// The facts the schedule model uses: vector width, registers, FMA
/// throughput, caches and cores. Read from the host (LLVM's host CPU name and
/// features, cache sizes from sysfs) or given by name for cross-compiles.
struct CPUTargetModel {
  /// LLVM CPU name (-mcpu) and feature string ("+avx512f,...").
  std::string cpu;
  std::string features;
  /// Widest usable vector register in bits (128, 256 or 512).
  int64_t vectorBits = 128;
  /// Architectural vector registers (32 with AVX-512, 16 otherwise).
  int64_t vectorRegisters = 16;
  /// Vector FMAs of full width retired per cycle (Zen 4 splits a 512-bit FMA
  /// in two halves: 1; Zen 5 and Xeon with two FMA units: 2).
  double fmasPerCycle = 2;
  /// Cache sizes per core (L3: per chip) in bytes.
  int64_t l1Bytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  int64_t l3Bytes = 16 * 1024 * 1024;
  /// Streaming bandwidth of one core, in GB/s, by where the data lives
  /// (nominal figures for current x86 server cores; they only feed the
  /// estimates of --tile-report).
  double l2GBps = 50;
  double l3GBps = 25;
  double dramGBps = 10;
  /// Cores (threads the code generator plans for) and clock in GHz.
  int64_t cores = 1;
  double ghz = 2.5;
  /// Integer dot products (AVX512-VNNI) and AMX tiles.
  bool hasVNNI = false;
  bool hasAMX = false;
  bool hasBF16 = false;

  /// f32 lanes of a vector register.
  int64_t f32Lanes() const { return vectorBits / 32; }
  /// Peak f32 flops per cycle of one core.
  double peakFlopsPerCycle() const { return fmasPerCycle * f32Lanes() * 2; }

  /// The machine this process runs on.
  static CPUTargetModel host();
  /// A named CPU (llc -mcpu spelling) with optional extra features: the host
  /// as read when `cpu` is empty or the host's, else typical caches of that
  /// family and one core (the same answer on every machine, for
  /// cross-compiles and tests).
  static CPUTargetModel forCPU(llvm::StringRef cpu, llvm::StringRef features);

  void print(llvm::raw_ostream &os) const;
};

} // namespace mlir::infer

#endif // INFER_CODEGEN_CPU_TARGETMODEL_H
