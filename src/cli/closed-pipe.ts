// A reader that stops early (`storepulse runs | head`) closes the pipe. What is left to print has nowhere to go, but
// the command's work still finishes (a run still commits), as it would with its output sent to a file; unhandled,
// the failed write ended the process with a stack trace.
export function ignoreClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });
}
