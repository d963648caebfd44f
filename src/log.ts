// Structured, quiet-by-default logging: JSON lines on stderr; SKIFF_LOG=debug|info|warn|error.

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const l = (process.env.SKIFF_LOG ?? 'warn') as Level;
  return order[l] ?? order.warn;
}

let min = threshold();

function emit(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (order[level] < min) return;
  process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...fields }) + '\n');
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit('debug', msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit('info', msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit('warn', msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit('error', msg, f),
  setLevel(level: Level): void {
    min = order[level];
  },
};
