// `$(VAR)` references, expanded the way the kubelet does for env values,
// command/args, exec probe and hook commands and subPathExpr: `$$` is an
// escaped `$`, an unknown name is left as `$(NAME)`, an unterminated `$(` and
// a `$` before any other character stay as written.

export type Mapping = (name: string) => string;

/** Looks a name up in each map in turn; unknown names come back as `$(name)`. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') {
      out += '$';
    } else if (next === '(') {
      const close = input.indexOf(')', cursor + 2);
      if (close === -1) {
        out += '$(';
      } else {
        out += mapping(input.slice(cursor + 2, close));
        advance = close - cursor;
      }
    } else {
      out += '$' + next;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** Variables from a container's resolved env list (a later entry wins over an earlier one). */
export function envMap(envs: readonly { key: string; value: string }[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of envs) m.set(e.key, e.value);
  return m;
}

/** command → entrypoint and args → cmd, both expanded with the resolved env; absent lists stay absent. */
export function expandCommandAndArgs(
  container: { command?: string[]; args?: string[] },
  envs: readonly { key: string; value: string }[],
): { command?: string[]; args?: string[] } {
  const mapping = mappingFor(envMap(envs));
  const out: { command?: string[]; args?: string[] } = {};
  if (Array.isArray(container.command)) out.command = container.command.map((s) => expand(String(s), mapping));
  if (Array.isArray(container.args)) out.args = container.args.map((s) => expand(String(s), mapping));
  return out;
}

/**
 * An exec probe or hook command, expanded with the container's own `env`
 * entries only (a valueFrom entry counts as ""; no downward API, no services).
 */
export function expandCommandWithStaticEnv(command: readonly string[], env: readonly { name: string; value?: string }[] | undefined): string[] {
  const vars = new Map<string, string>();
  for (const e of env ?? []) vars.set(e.name, e.value ?? '');
  const mapping = mappingFor(vars);
  return command.map((c) => expand(c, mapping));
}
