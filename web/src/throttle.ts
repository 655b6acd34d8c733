// Live snapshots can arrive many times a second; this turns bursts of requests into at most one refresh per
// interval, never two at once, and never drops the last request (so the screen ends on the newest data).

export interface Throttled {
  /** Asks for a run; coalesced with any other request made before the run starts. */
  request(): void;
  cancel(): void;
}

export function throttle(run: () => Promise<void> | void, intervalMs: number): Throttled {
  let lastStart = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let pending = false;

  const start = async () => {
    timer = undefined;
    pending = false;
    running = true;
    lastStart = Date.now();
    try {
      await run();
    } catch (e) {
      // The caller shows its own errors; this only keeps one failure from stopping later refreshes.
      console.error(e);
    } finally {
      running = false;
      if (pending) schedule();
    }
  };

  function schedule() {
    if (running || timer !== undefined) return;
    const wait = Math.max(0, lastStart + intervalMs - Date.now());
    timer = setTimeout(() => void start(), wait);
  }

  return {
    request() {
      pending = true;
      schedule();
    },
    cancel() {
      pending = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
