// Syntax errors worded the way Go's encoding/json reports them (Kubernetes
// decodes every JSON body with it), so a malformed body gets the same message
// from us as from a real API server: "invalid character 'b' looking for
// beginning of object key string", "unexpected end of JSON input", ...

class SyntaxFailure extends Error {}

const WS = new Set([' ', '\t', '\r', '\n']);

/** Go's quoteChar: the offending byte in single quotes, escaped like strconv.Quote. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

class Scanner {
  private i = 0;
  constructor(private readonly s: string) {}

  private fail(c: string, context: string): never {
    throw new SyntaxFailure(`invalid character ${quoteChar(c)} ${context}`);
  }

  private eof(): never {
    throw new SyntaxFailure('unexpected end of JSON input');
  }

  private skip(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i])) this.i++;
  }

  /** The next byte, or EOF error. */
  private peek(): string {
    if (this.i >= this.s.length) this.eof();
    return this.s[this.i];
  }

  document(): void {
    this.value();
    this.skip();
    if (this.i < this.s.length) this.fail(this.s[this.i], 'after top-level value');
  }

  private value(): void {
    this.skip();
    const c = this.peek();
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    if (c === 't') return this.literal('true');
    if (c === 'f') return this.literal('false');
    if (c === 'n') return this.literal('null');
    this.fail(c, 'looking for beginning of value');
  }

  private object(): void {
    this.i++; // {
    this.skip();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skip();
      const c = this.peek();
      if (c !== '"') this.fail(c, 'looking for beginning of object key string');
      this.string();
      this.skip();
      const colon = this.peek();
      if (colon !== ':') this.fail(colon, 'after object key');
      this.i++;
      this.value();
      this.skip();
      const next = this.peek();
      this.i++;
      if (next === '}') return;
      if (next !== ',') this.fail(next, 'after object key:value pair');
    }
  }

  private array(): void {
    this.i++; // [
    this.skip();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.skip();
      const next = this.peek();
      this.i++;
      if (next === ']') return;
      if (next !== ',') this.fail(next, 'after array element');
    }
  }

  private string(): void {
    this.i++; // opening quote
    for (;;) {
      const c = this.peek();
      this.i++;
      if (c === '"') return;
      if (c === '\\') {
        const e = this.peek();
        this.i++;
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            const h = this.peek();
            if (!/[0-9a-fA-F]/.test(h)) this.fail(h, 'in \\u hexadecimal character escape');
            this.i++;
          }
        } else if (!'"\\/bfnrt'.includes(e)) {
          this.fail(e, 'in string escape code');
        }
      } else if (c < ' ') {
        this.fail(c, 'in string literal');
      }
    }
  }

  private digits(): number {
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i] >= '0' && this.s[this.i] <= '9') this.i++;
    return this.i - start;
  }

  private number(): void {
    if (this.s[this.i] === '-') {
      this.i++;
      const c = this.peek();
      if (!(c >= '0' && c <= '9')) this.fail(c, 'in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else this.digits();
    if (this.s[this.i] === '.') {
      this.i++;
      const c = this.peek();
      if (!(c >= '0' && c <= '9')) this.fail(c, 'after decimal point in numeric literal');
      this.digits();
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      let c = this.peek();
      if (c === '+' || c === '-') {
        this.i++;
        c = this.peek();
      }
      if (!(c >= '0' && c <= '9')) this.fail(c, 'in exponent of numeric literal');
      this.digits();
    }
  }

  private literal(word: string): void {
    this.i++;
    for (let k = 1; k < word.length; k++) {
      const c = this.peek();
      if (c !== word[k]) this.fail(c, `in literal ${word} (expecting ${quoteChar(word[k])})`);
      this.i++;
    }
  }
}

/** Go's json.Unmarshal syntax error for `text`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (e) {
    if (e instanceof SyntaxFailure) return e.message;
    throw e;
  }
}

/**
 * The short form of a request body Kubernetes puts in decode errors
 * (summarizeData): bodies starting with '{' as text, others as hex, cut at `max` bytes.
 */
export function summarizeBody(body: Buffer, max = 30): string {
  if (body.length === 0) return '<empty>';
  const cut = body.length > max;
  const part = cut ? body.subarray(0, max) : body;
  const shown = body[0] === 0x7b ? part.toString('utf8') : part.toString('hex');
  return cut ? `${shown} ...` : shown;
}
