// Which envFrom keys may become environment variable names (apimachinery's
// IsEnvVarName): letters, digits, '_', '-', '.', not starting with a digit,
// and not '.', '..' or anything starting with '..'.

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function isEnvVarName(name: string): boolean {
  return ENV_VAR_NAME.test(name) && !name.startsWith('..') && name !== '.';
}
