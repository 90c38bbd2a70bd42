/**
 * Ctrl-C and SIGTERM: the first one stops dispatching (running tasks get a short grace period) so the report
 * of what finished can still be written, marked interrupted; a second one exits at once.
 * Exit codes follow the shell convention: 130 for SIGINT, 143 for SIGTERM.
 */
export interface Interrupt {
  signal: AbortSignal;
  readonly received: boolean;
  readonly exitCode: number;
  dispose(): void;
}

/** `notice` follows "sweep: SIGINT received: " on stderr; `prefix` names the command ("sweep", "sweep worker"). */
export function interruptSignal(
  notice = 'finishing running tasks, then writing the partial report (again to quit now)',
  prefix = 'sweep',
): Interrupt {
  const controller = new AbortController();
  let exitCode = 0;
  const handler = (sig: NodeJS.Signals) => {
    const code = sig === 'SIGTERM' ? 143 : 130;
    if (controller.signal.aborted) process.exit(code);
    exitCode = code;
    process.stderr.write(`\n${prefix}: ${sig} received: ${notice}\n`);
    controller.abort(new Error(sig));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get received() {
      return exitCode !== 0;
    },
    get exitCode() {
      return exitCode;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
