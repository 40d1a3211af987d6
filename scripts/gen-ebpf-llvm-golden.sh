#!/usr/bin/env bash
# Regenerates src/ebpf/fixtures/llvm-golden.json with llvm-mc (LLVM 14: apt-get install llvm-14).
# The generator is TypeScript so it can print one LLVM-syntax line per opcode-table entry.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v "${LLVM_MC:-llvm-mc}" >/dev/null || { echo "llvm-mc not found (apt-get install llvm-14)" >&2; exit 1; }
exec npx tsx scripts/gen-ebpf-llvm-golden.ts
