// Defaults for PodSpec and everything inside it, as Kubernetes' v1 defaulters set them.
// These apply to pods and to the pod templates of workloads alike.

/** Mode 0644, written in decimal as the API stores it. */
export const DEFAULT_FILE_MODE = 420;

/** Always for ":latest" or an untagged image, IfNotPresent otherwise (digests included). */
export function defaultPullPolicy(image: unknown): 'Always' | 'IfNotPresent' {
  if (typeof image !== 'string' || image === '') return 'IfNotPresent';
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const repo = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : '';
  const firstSlash = repo.indexOf('/');
  const first = firstSlash >= 0 ? repo.slice(0, firstSlash) : '';
  const hasDomain = firstSlash >= 0 && (/[.:]/.test(first) || first === 'localhost');
  const path = hasDomain ? repo.slice(firstSlash + 1) : repo;
  // A reference that fails to parse (upper case in the path) counts as untagged-but-not-latest.
  if (/[A-Z]/.test(path)) return 'IfNotPresent';
  if (tag) return tag === 'latest' ? 'Always' : 'IfNotPresent';
  return at >= 0 ? 'IfNotPresent' : 'Always';
}

function defaultProbe(probe: any): void {
  if (probe == null || typeof probe !== 'object') return;
  if (!probe.timeoutSeconds) probe.timeoutSeconds = 1;
  if (!probe.periodSeconds) probe.periodSeconds = 10;
  if (!probe.successThreshold) probe.successThreshold = 1;
  if (!probe.failureThreshold) probe.failureThreshold = 3;
  defaultHandler(probe);
}

function defaultHandler(handler: any): void {
  const http = handler?.httpGet;
  if (http && typeof http === 'object') {
    if (!http.path) http.path = '/';
    if (!http.scheme) http.scheme = 'HTTP';
  }
}

function defaultContainer(c: any): void {
  if (c == null || typeof c !== 'object') return;
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  // Go serialises the (non-pointer) resources struct even when empty.
  if (c.resources == null) c.resources = {};
  for (const port of c.ports ?? []) if (port && !port.protocol) port.protocol = 'TCP';
  for (const ev of c.env ?? []) {
    const ref = ev?.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

const VOLUME_SOURCE_KEYS = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

function defaultDownwardItems(items: any[] | undefined): void {
  for (const item of items ?? []) {
    const ref = item?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
}

function defaultVolume(vol: any): void {
  if (vol == null || typeof vol !== 'object') return;
  if (!VOLUME_SOURCE_KEYS.some((k) => vol[k] != null)) vol.emptyDir = {};
  if (vol.secret && vol.secret.defaultMode == null) vol.secret.defaultMode = DEFAULT_FILE_MODE;
  if (vol.configMap && vol.configMap.defaultMode == null) vol.configMap.defaultMode = DEFAULT_FILE_MODE;
  if (vol.downwardAPI) {
    if (vol.downwardAPI.defaultMode == null) vol.downwardAPI.defaultMode = DEFAULT_FILE_MODE;
    defaultDownwardItems(vol.downwardAPI.items);
  }
  if (vol.hostPath && vol.hostPath.type == null) vol.hostPath.type = '';
  if (vol.projected) {
    if (vol.projected.defaultMode == null) vol.projected.defaultMode = DEFAULT_FILE_MODE;
    for (const src of vol.projected.sources ?? []) {
      if (src?.serviceAccountToken && src.serviceAccountToken.expirationSeconds == null) src.serviceAccountToken.expirationSeconds = 3600;
      defaultDownwardItems(src?.downwardAPI?.items);
    }
  }
  if (vol.iscsi) {
    vol.iscsi.iscsiInterface ??= 'default';
  }
}

/** With host networking the host port is the container port. */
function defaultHostNetworkPorts(containers: any[] | undefined): void {
  for (const c of containers ?? []) {
    for (const port of c?.ports ?? []) if (port && !port.hostPort) port.hostPort = port.containerPort;
  }
}

/** SetDefaults_PodSpec plus the nested container/volume defaulters. */
export function defaultPodSpec(spec: any): void {
  if (spec == null || typeof spec !== 'object') return;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (spec.securityContext == null) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds == null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(spec.containers);
    defaultHostNetworkPorts(spec.initContainers);
  }
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Pod templates of workloads: the spec defaults only. */
export function defaultPodTemplate(template: any): void {
  if (template == null || typeof template !== 'object') return;
  defaultPodSpec(template.spec);
}
