#!/bin/sh
# Rebuilds the committed ELF fixtures conformance/elf/build/<name>.<bpfel|bpfeb>.o from conformance/elf/*.c
# with Debian's clang (apt-get install clang). Tests read the committed objects and never need clang.
# -g: BTF-defined maps (.maps) are described by the .BTF section, which clang only emits with debug info.
# -mcpu=v3: JMP32, ALU32 and the fetch/xchg/cmpxchg atomics. If this clang knows -mcpu=v4 (LLVM >= 17),
# a second set <name>.v4.<bpfel|bpfeb>.o is built as well (sign extension, sdiv/smod, bswap, gotol).
set -eu
cd "$(dirname "$0")/../conformance/elf"
CLANG=${CLANG:-clang}
mkdir -p build
# Deterministic output: no absolute paths from this machine in the debug info.
FLAGS="-O2 -g -Wall -Werror -fdebug-prefix-map=$(pwd)=. -fno-ident"
v4=""
if echo 'int f(void){return 0;}' | "$CLANG" -target bpfel -mcpu=v4 -x c -c -o /dev/null - 2>/dev/null; then v4=yes; fi
for src in *.c; do
  name=${src%.c}
  for target in bpfel bpfeb; do
    "$CLANG" $FLAGS -target "$target" -mcpu=v3 -c "$src" -o "build/$name.$target.o"
    if [ -n "$v4" ]; then "$CLANG" $FLAGS -target "$target" -mcpu=v4 -c "$src" -o "build/$name.v4.$target.o"; fi
  done
done
echo "built $(ls build/*.o | wc -l) objects with $("$CLANG" --version | head -n 1)${v4:+ (cpu v3 and v4)}"
