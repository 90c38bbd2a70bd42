/**
 * A child process of `sweep compare`: reads one ChildRequest (JSON) on stdin, prepares the sweep from the same
 * options as its parent, checks the fingerprint (same data, folds and configs), executes it with the requested
 * strategy and workers, and writes one ChildReply (JSON) on stdout with its own peak RSS. Nothing else reaches
 * stdout; warnings are the parent's to print (it prepared the same sweep first).
 */
import { text } from 'node:stream/consumers';
import { SweepError } from '../errors.js';
import { executeSweep, prepareSweepInput } from '../api/run.js';
import { clusterOption, fingerprint, type ChildReply, type ChildRequest } from './runner.js';

async function main(): Promise<ChildReply> {
  const request = JSON.parse(await text(process.stdin)) as ChildRequest;
  const prep = await prepareSweepInput(request.options);
  const mine = fingerprint(prep);
  if (mine !== request.fingerprint) {
    return { ok: false, message: `the child process prepared different data, folds or configs (fingerprint ${mine.slice(0, 12)} ≠ ${request.fingerprint.slice(0, 12)}): is the data file changing?` };
  }
  const result = await executeSweep(prep, { strategy: request.strategy, workers: request.workers, ...clusterOption(request.cluster) });
  // resourceUsage().maxRSS is in kilobytes.
  return { ok: true, result, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

let reply: ChildReply;
try {
  reply = await main();
} catch (err) {
  reply =
    err instanceof SweepError
      ? { ok: false, message: err.message, code: err.code, exitCode: err.exitCode }
      : { ok: false, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
process.stdout.write(JSON.stringify(reply), () => process.exit(0));
