// Runs a command-line tool the same way for every script: bad options print the problem
// and the usage (exit 2), --help prints the usage (exit 0), and an unexpected error prints
// one line naming the tool (the stack with VM_DEBUG=1) and exits 1.

export function runCli<O>(
  name: string,
  usage: string,
  parse: (argv: string[]) => O | null,
  run: (opts: O) => Promise<number>,
): void {
  let opts: O | null;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (opts === null) {
    console.log(usage);
    process.exit(0);
  }
  run(opts).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const err = e as Error;
      console.error(`${name}: ${process.env.VM_DEBUG ? (err.stack ?? String(e)) : (err.message ?? String(e))}`);
      process.exit(1);
    },
  );
}
