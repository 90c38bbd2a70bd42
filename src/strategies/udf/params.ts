/**
 * Grid axes for a user UDF from `--param name=v1,v2` (repeatable). A user UDF's parameters are not declared
 * anywhere sweep can check them, so values are typed by their look only: numbers, true/false, else text.
 */
import { UsageError } from '../../errors.js';
import type { ParamValue } from '../../models/params.js';

export type ParamAxes = Record<string, ParamValue[]>;

/** "3" → 3, "true" → true, "auto" → "auto". */
export function parseLooseValue(raw: string): ParamValue {
  const s = raw.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  const v = Number(s);
  return s !== '' && Number.isFinite(v) ? v : s;
}

/** Parse repeated `--param name=v1,v2` flags into axes; a name given twice is an error. */
export function axesFromParamFlags(flags: readonly string[]): ParamAxes {
  const axes: ParamAxes = Object.create(null) as ParamAxes;
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const name = eq < 0 ? '' : flag.slice(0, eq).trim();
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new UsageError(`--param ${JSON.stringify(flag)}: expected name=v1,v2,... with a name like k or maxDepth`);
    }
    if (Object.hasOwn(axes, name)) throw new UsageError(`--param ${name} is given twice; list all its values once: --param ${name}=a,b,c`);
    const items = flag.slice(eq + 1).split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new UsageError(`--param ${name}: empty value in ${JSON.stringify(flag.slice(eq + 1))}`);
    axes[name] = items.map(parseLooseValue);
  }
  return axes;
}
