// The kubelet's $(VAR) expansion of container command and args: $(NAME) is
// replaced by the variable's value when it is defined and left as written when
// not; $$ stands for a literal $; a $ before anything else, or an unclosed
// $(, is kept verbatim.

/** Expands one string against the variables (a name not in `vars` stays "$(NAME)"). */
export function expand(input: string, vars: ReadonlyMap<string, string>): string {
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
        const name = input.slice(cursor + 2, close);
        out += vars.has(name) ? vars.get(name)! : `$(${name})`;
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

/** command → entrypoint and args → cmd, both expanded; absent lists stay absent. */
export function expandCommandAndArgs(
  container: { command?: string[]; args?: string[] },
  envs: readonly { key: string; value: string }[],
): { command?: string[]; args?: string[] } {
  const vars = envMap(envs);
  const out: { command?: string[]; args?: string[] } = {};
  if (Array.isArray(container.command)) out.command = container.command.map((s) => expand(String(s), vars));
  if (Array.isArray(container.args)) out.args = container.args.map((s) => expand(String(s), vars));
  return out;
}
