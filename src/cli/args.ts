// A small flag parser: --name value, --name=value, --flag (boolean), positionals.

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(argv: string[], booleans: ReadonlySet<string> = new Set()): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) add(a.slice(2, eq), a.slice(eq + 1));
      else if (booleans.has(a.slice(2))) add(a.slice(2), 'true');
      else if (i + 1 < argv.length) add(a.slice(2), argv[++i]);
      else throw new Error(`flag ${a} needs a value`);
    } else if (a.startsWith('-') && a.length === 2 && !booleans.has(a.slice(1))) {
      if (i + 1 >= argv.length) throw new Error(`flag ${a} needs a value`);
      add(a.slice(1), argv[++i]);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function flag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  return v ? v[v.length - 1] : fallback;
}

export function flagList(args: ParsedArgs, name: string): string[] {
  return (args.flags.get(name) ?? []).flatMap((v) => v.split(',')).filter(Boolean);
}

/** Reject flags the command does not know, with a clear message. */
export function checkFlags(args: ParsedArgs, known: readonly string[]): void {
  for (const k of args.flags.keys()) if (!known.includes(k)) throw new Error(`unknown flag: --${k}`);
}
