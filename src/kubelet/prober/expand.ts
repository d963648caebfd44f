// The kubelet's $(VAR) expansion, as applied to exec probe commands: only the
// container's own `env` entries count (a valueFrom entry expands to ""),
// `$$` is an escaped `$`, and unknown or unterminated references stay as
// written.

export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch !== '$' || i + 1 >= input.length) {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        // No closing paren: the rest is literal.
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = lookup(name);
      out += value ?? `$(${name})`;
      i = close + 1;
    } else {
      out += ch + next;
      i += 2;
    }
  }
  return out;
}

/** Expands each element of an exec command with the container's static env values. */
export function expandCommandWithStaticEnv(command: readonly string[], env: readonly { name: string; value?: string }[] | undefined): string[] {
  const vars = new Map<string, string>();
  for (const e of env ?? []) vars.set(e.name, e.value ?? '');
  return command.map((c) => expandVars(c, (n) => vars.get(n)));
}
