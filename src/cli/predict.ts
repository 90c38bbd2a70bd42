/**
 * `sweep predict --model model.json --data new.csv`: one prediction per row on stdout (CSV with a header): the
 * value, or a classifier's class name; with --proba a classifier's probability of each class instead.
 */
import { Command, Option } from 'commander';
import { INPUT_FORMATS, type InputFormat } from '../data/options.js';
import { parseDelimiter } from './options.js';
import { loadData } from '../data/load.js';
import { EXIT_OK } from '../errors.js';
import { alignToModel, loadSavedModel, predictAll, predictProbaAll, typeOptions } from '../api/save.js';
import { UsageError } from '../errors.js';
import { writeReport } from '../report/render.js';

interface PredictFlags {
  model: string;
  data: string;
  output?: string;
  proba?: boolean;
  delimiter?: string;
  formatIn?: string;
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('predict with a model saved by `sweep run --save-best`')
    .requiredOption('--model <file.json>', 'model file written by --save-best')
    .requiredOption('--data <spec>', 'CSV (or built-in data set) with the model’s feature columns; a target column is ignored')
    .option('--output <file>', 'write predictions to a file (- for stdout)')
    .option('--proba', "a classifier's probability of each class, one column per class (named by the class)")
    .option('--delimiter <char>', 'a CSV\'s field delimiter (default: tab for .tsv or a header with tabs only, else comma)')
    .addOption(new Option('--format-in <format>', 'the input\'s format (default: from its first bytes and its name)').choices([...INPUT_FORMATS]))
    .addHelpText(
      'after',
      `
Examples:
  sweep run --trees 50 --save-best best.json && sweep predict --model best.json --data diabetes
  sweep predict --model best.json --data new-houses.csv --output predictions.csv
  sweep predict --model best.json --data new-houses.csv | head -5
  sweep run --data breast-cancer --save-best cancer.json && sweep predict --model cancer.json --data breast-cancer --proba`,
    )
    .action(async (flags: PredictFlags) => {
      const { model, types } = loadSavedModel(flags.model);
      const features = (model.toJSON().features as string[]) ?? [];
      const loaded = await loadData(flags.data, {
        features, target: null, ...typeOptions(features, types),
        ...(flags.delimiter !== undefined ? { delimiter: parseDelimiter(flags.delimiter) } : {}),
        ...(flags.formatIn !== undefined ? { format: flags.formatIn as InputFormat } : {}),
      });
      const data = alignToModel(loaded.data, types);
      const classes = model.classes;
      if (flags.proba && !classes) throw new UsageError('--proba needs a classifier; this model is a regression');
      const lines: string[] = [];
      if (flags.proba) {
        const proba = predictProbaAll(model, data);
        const k = classes!.length;
        lines.push(classes!.map(csvCell).join(','));
        for (let i = 0; i < data.rows; i++) lines.push(Array.from(proba.subarray(i * k, (i + 1) * k), String).join(','));
      } else {
        lines.push('prediction');
        for (const p of predictAll(model, data)) lines.push(classes ? csvCell(classes[p]) : String(p));
      }
      await writeReport(lines.join('\n') + '\n', flags.output);
      process.exitCode = EXIT_OK;
    });
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
