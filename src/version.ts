// Version reported at /version. kubectl's dispatcher on Debian picks its binary
// by the server's minor version, so this must say 1.32 (see the wire contract §0.1).

export const SKIFF_VERSION = '0.1.0';
export const KUBERNETES_VERSION = 'v1.32.0';

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: `${KUBERNETES_VERSION}+skiff-${SKIFF_VERSION}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-25T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
