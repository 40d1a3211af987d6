// A one-line progress bar for long conformance runs, drawn on stderr only when it is a terminal (so pipes,
// --json output and CI logs stay clean). Owns nothing else. Written here instead of adding a dependency:
// a single redrawn line with a rate limit is ~40 lines, and cli-progress would add a package for that.

export interface Progress {
  tick(label: string, failed: boolean): void;
  done(): void;
}

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(s: string): boolean;
}

const NONE: Progress = { tick: () => {}, done: () => {} };

/**
 * A bar over `total` steps. Redraws at most every `intervalMs` (drawing every case would cost more than
 * running it) and always on the last step. `now` is injectable for tests.
 */
export function createProgress(total: number, stream: ProgressStream, opts: { intervalMs?: number; now?: () => number; force?: boolean } = {}): Progress {
  if ((!stream.isTTY && !opts.force) || total <= 0) return NONE;
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? 80;
  let n = 0;
  let failed = 0;
  let last = -Infinity;
  let drawn = false;
  const width = (): number => Math.max(40, Math.min(stream.columns ?? 80, 160));
  return {
    tick(label, isFailed) {
      n++;
      if (isFailed) failed++;
      const t = now();
      if (n < total && t - last < interval) return;
      last = t;
      const cols = width();
      const barLen = Math.max(10, Math.floor(cols / 4));
      const shown = Math.min(n, total);
      const filled = Math.round((shown / total) * barLen);
      const head = `[${"#".repeat(filled)}${".".repeat(barLen - filled)}] ${shown}/${total}${failed ? ` ${failed} failed` : ""} `;
      const room = cols - head.length - 1;
      const tail = label.length > room ? "…" + label.slice(label.length - room + 1) : label;
      stream.write(`\r${head}${tail}`.padEnd(cols - 1) + "\r");
      drawn = true;
    },
    done() {
      if (drawn) stream.write(`\r${" ".repeat(width() - 1)}\r`);
    },
  };
}
