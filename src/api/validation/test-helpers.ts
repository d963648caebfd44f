// Shared fixtures for the validation tests: defaulted objects and a printer that renders
// errors the way kubectl lists them ("field: message").

import type { FieldError } from './field-error.js';
import { applyDefaults } from '../defaults/index.js';

export const lines = (errs: FieldError[]): string[] => errs.map((e) => (e.field ? `${e.field}: ${e.message}` : `: ${e.message}`));

export const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
export const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function defaulted(kind: string, obj: Record<string, any>): any {
  applyDefaults(kind, obj);
  return obj;
}

export function makePod(spec: Record<string, any> = {}, metadata: Record<string, any> = {}): any {
  return defaulted('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'demo', namespace: 'default', ...metadata },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...spec },
  });
}

export function makeDeployment(labels: Record<string, string> = { app: 'web' }, selector: any = { matchLabels: { app: 'web' } }): any {
  return defaulted('Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
  });
}
