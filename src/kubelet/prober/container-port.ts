// Resolving a probe's port (number, or the name of one of the container's
// ports) the way the kubelet does, including its error texts, which end up in
// "probe errored" events.

export type PortResolution = { ok: true; port: number } | { ok: false; error: string };

export function resolveContainerPort(param: number | string | undefined, container: { ports?: { name?: string; containerPort?: number }[] }): PortResolution {
  let port: number;
  if (typeof param === 'number') {
    port = param;
  } else if (typeof param === 'string') {
    const named = (container.ports ?? []).find((p) => p.name === param);
    if (named) {
      port = named.containerPort ?? 0;
    } else if (/^[+-]?\d+$/.test(param)) {
      // A number that arrived as a string still works.
      port = Number(param);
    } else {
      return { ok: false, error: `strconv.Atoi: parsing ${JSON.stringify(param)}: invalid syntax` };
    }
  } else {
    return { ok: false, error: 'intOrString had no kind: {Type:0 IntVal:0 StrVal:}' };
  }
  if (port > 0 && port < 65536) return { ok: true, port };
  return { ok: false, error: `invalid port number: ${port}` };
}
