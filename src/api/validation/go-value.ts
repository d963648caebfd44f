// Renders a bad value the way Go's field.Error does: strings through %q, numbers and
// booleans bare, nil as "null", and composite values as Go's %#v would print them.

/** A value whose Go rendering is already known (e.g. a struct printed with %#v). */
export class GoRendered {
  constructor(readonly text: string) {}
}

export function goRaw(text: string): GoRendered {
  return new GoRendered(text);
}

/** map[string]string rendered with %#v (keys sorted, nil map as map[string]string(nil)). */
export function goStringMap(m: Record<string, unknown> | null | undefined): GoRendered {
  if (m == null) return goRaw('map[string]string(nil)');
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`)
    .join(', ');
  return goRaw(`map[string]string{${body}}`);
}

/** []string rendered with %#v. */
export function goStringSlice(list: readonly unknown[] | null | undefined): GoRendered {
  if (list == null) return goRaw('[]string(nil)');
  return goRaw(`[]string{${list.map((s) => goQuote(String(s))).join(', ')}}`);
}

export function renderGoValue(value: unknown): string {
  if (value instanceof GoRendered) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return goStringSlice(value).text;
  if (typeof value === 'object') return goStringMap(value as Record<string, unknown>).text;
  return String(value);
}

const namedEscapes: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's strconv.Quote: printable runes kept, others escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = namedEscapes[ch];
    if (named) {
      out += named;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}
