import { parseArgs } from 'node:util';

/**
 * The command line of a one-off maintenance script (`npm run <command> -- --table …`): every option
 * is a required string, `--help` prints the usage, and a failure sets a non-zero exit code with the
 * error, so a wrapper or an operator's shell sees it.
 */
export function runOneOffCommand<Option extends string>(
  spec: { readonly command: string; readonly options: readonly Option[]; readonly usage: string },
  run: (values: Readonly<Record<Option, string>>) => Promise<void>,
): void {
  const { values } = parseArgs({
    strict: true,
    options: {
      ...Object.fromEntries(spec.options.map((name) => [name, { type: 'string' as const }])),
      help: { type: 'boolean', short: 'h' },
    },
  });
  const named = values as Readonly<Record<string, string | boolean | undefined>>;
  const given = spec.options.map((name) => named[name]);
  if (values.help || given.some((value) => typeof value !== 'string' || value === '')) {
    console.error(spec.usage);
    process.exitCode = values.help ? 0 : 1;
    return;
  }
  run(Object.fromEntries(spec.options.map((name) => [name, named[name]])) as Record<Option, string>).catch(
    (error: unknown) => {
      console.error(`npm run ${spec.command}:`, error);
      process.exitCode = 1;
    },
  );
}
