/** `sweep predict --model model.json --data new.csv`: one prediction per row on stdout (CSV with a header). */
import { Command } from 'commander';
import { loadData } from '../data/load.js';
import { EXIT_OK } from '../errors.js';
import { loadModelFile, predictAll } from '../api/save.js';
import { writeReport } from '../report/render.js';

interface PredictFlags {
  model: string;
  data: string;
  output?: string;
}

export function predictCommand(): Command {
  return new Command('predict')
    .description('predict with a model saved by `sweep run --save-best`')
    .requiredOption('--model <file.json>', 'model file written by --save-best')
    .requiredOption('--data <spec>', 'CSV (or built-in data set) with the model’s feature columns; a target column is ignored')
    .option('--output <file>', 'write predictions to a file (- for stdout)')
    .addHelpText(
      'after',
      `
Examples:
  sweep run --trees 50 --save-best best.json && sweep predict --model best.json --data diabetes
  sweep predict --model best.json --data new-houses.csv --output predictions.csv
  sweep predict --model best.json --data new-houses.csv | head -5`,
    )
    .action(async (flags: PredictFlags) => {
      const model = loadModelFile(flags.model);
      const features = (model.toJSON().features as string[]) ?? [];
      const { data } = await loadData(flags.data, { features, target: null });
      const predictions = predictAll(model, data);
      const lines = ['prediction'];
      for (const p of predictions) lines.push(String(p));
      await writeReport(lines.join('\n') + '\n', flags.output);
      process.exitCode = EXIT_OK;
    });
}
