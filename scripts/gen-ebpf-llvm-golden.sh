#!/usr/bin/env bash
# Regenerates the eBPF LLVM golden fixtures in src/ebpf/fixtures/:
#   llvm-golden.json   — llvm-mc of LLVM 14 (Debian llvm-14), -mcpu=v3 (the issue's reference)
#   llvm19-golden.json — llvm-mc-19 (Debian bookworm llvm-19), -mcpu=v4, when installed (apt-get install llvm-19)
# The generator is TypeScript so it can print LLVM-syntax lines per opcode-table entry.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v llvm-mc >/dev/null || { echo "llvm-mc not found (apt-get install llvm-14)" >&2; exit 1; }
LLVM_MC=llvm-mc MCPU=v3 OUT=llvm-golden.json npx tsx scripts/gen-ebpf-llvm-golden.ts
if command -v llvm-mc-19 >/dev/null; then
  LLVM_MC=llvm-mc-19 MCPU=v4 OUT=llvm19-golden.json npx tsx scripts/gen-ebpf-llvm-golden.ts
else
  echo "llvm-mc-19 not found: llvm19-golden.json left as it is" >&2
fi
