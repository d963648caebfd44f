// core/v1 container types: Container, EphemeralContainer and everything a container embeds
// (ports, env, mounts, resources, probes, lifecycle hooks). Facts follow k8s.io/api v1.32.
import {
  array,
  bool,
  field,
  int32,
  int64,
  intOrString,
  map,
  quantity,
  str,
  type,
  type FieldDef,
  type TypeDef,
} from './dsl.js';
import { CORE, PROTOCOLS, PULL_POLICIES, core } from './core-refs.js';

type Fields = Record<string, Omit<FieldDef, 'json'>>;

/**
 * The fields shared by Container and EphemeralContainerCommon (same JSON names and proto numbers).
 * Ephemeral containers reuse the list but some fields are documented as not allowed there.
 */
function containerFields(ephemeral: boolean): Fields {
  const notForEphemeral = (doc: string, what: string): string =>
    ephemeral ? `${what} are not allowed for ephemeral containers.` : doc;
  return {
    name: field(
      1,
      str(),
      ephemeral
        ? 'Name of the ephemeral container, a DNS_LABEL unique among all containers, init containers and ephemeral containers of the pod.'
        : 'Name of the container as a DNS_LABEL. Must be unique within the pod. Cannot be updated.',
      { required: true },
    ),
    image: field(
      2,
      str(),
      'Container image reference. Optional here so that higher-level controllers (Deployments, StatefulSets...) can default or override it.',
    ),
    command: field(
      3,
      array(str()),
      "Entrypoint array, run without a shell. Replaces the image's ENTRYPOINT; $(VAR_NAME) references are expanded from the container environment ($$ escapes). Cannot be updated.",
      { listType: 'atomic' },
    ),
    args: field(
      4,
      array(str()),
      "Arguments to the entrypoint. Replaces the image's CMD; $(VAR_NAME) references are expanded from the container environment ($$ escapes). Cannot be updated.",
      { listType: 'atomic' },
    ),
    workingDir: field(
      5,
      str(),
      "Working directory of the container. The runtime's default (possibly set by the image) is used when empty. Cannot be updated.",
    ),
    ports: field(
      6,
      array(core('ContainerPort')),
      ephemeral
        ? 'Ports are not allowed for ephemeral containers.'
        : 'Network ports the container exposes. Mostly informational: ports that are not listed can still be reached. Cannot be updated.',
      {
        patchStrategy: 'merge',
        mergeKey: 'containerPort',
        listType: 'map',
        listMapKeys: ['containerPort', 'protocol'],
      },
    ),
    envFrom: field(
      19,
      array(core('EnvFromSource')),
      'Sources (ConfigMaps or Secrets) whose keys become environment variables. Later sources win over earlier ones and explicit env entries win over all of them. Cannot be updated.',
      { listType: 'atomic' },
    ),
    env: field(7, array(core('EnvVar')), 'Environment variables to set in the container. Cannot be updated.', {
      patchStrategy: 'merge',
      mergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    }),
    resources: field(
      8,
      core('ResourceRequirements'),
      ephemeral
        ? 'Resources are not allowed for ephemeral containers; they run on resources the pod already has.'
        : 'Compute resources (requests and limits) this container needs.',
    ),
    resizePolicy: field(
      23,
      array(core('ContainerResizePolicy')),
      'How each resource of the container is resized in place (whether a restart is required).',
      { listType: 'atomic' },
    ),
    restartPolicy: field(
      24,
      str(['Always']),
      ephemeral
        ? 'Restart policy of the container. Cannot be set on ephemeral containers.'
        : 'Per-container restart behaviour. Only "Always" is accepted, only on init containers, and it turns that init container into a sidecar that keeps running alongside the regular containers.',
      { pointer: true },
    ),
    volumeMounts: field(
      9,
      array(core('VolumeMount')),
      ephemeral
        ? "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers. Cannot be updated."
        : "Pod volumes to mount into the container's filesystem. Cannot be updated.",
      { patchStrategy: 'merge', mergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
    ),
    volumeDevices: field(21, array(core('VolumeDevice')), 'Raw block devices the container uses.', {
      patchStrategy: 'merge',
      mergeKey: 'devicePath',
      listType: 'map',
      listMapKeys: ['devicePath'],
    }),
    livenessProbe: field(
      10,
      core('Probe'),
      notForEphemeral('Periodic probe of container liveness. The container is restarted if the probe fails.', 'Probes'),
      { pointer: true },
    ),
    readinessProbe: field(
      11,
      core('Probe'),
      notForEphemeral(
        'Periodic probe of container readiness. The container is taken out of service endpoints while the probe fails.',
        'Probes',
      ),
      { pointer: true },
    ),
    startupProbe: field(
      22,
      core('Probe'),
      notForEphemeral(
        'Probe that tells when the container has finished starting. No other probe runs until it succeeds; if it fails the container is restarted as for a failed liveness probe.',
        'Probes',
      ),
      { pointer: true },
    ),
    lifecycle: field(
      12,
      core('Lifecycle'),
      ephemeral
        ? 'Lifecycle is not allowed for ephemeral containers.'
        : 'Actions the system takes in response to container lifecycle events (post-start, pre-stop). Cannot be updated.',
      { pointer: true },
    ),
    terminationMessagePath: field(
      13,
      str(),
      "Path inside the container of the file whose contents become the container's termination message (truncated to 4096 bytes). Defaults to /dev/termination-log. Cannot be updated.",
      { default: '/dev/termination-log' },
    ),
    terminationMessagePolicy: field(
      20,
      str(['FallbackToLogsOnError', 'File']),
      'Where the termination message comes from: File reads terminationMessagePath; FallbackToLogsOnError uses the end of the log when that file is empty and the container failed. Defaults to File. Cannot be updated.',
      { default: 'File' },
    ),
    imagePullPolicy: field(
      14,
      str(PULL_POLICIES),
      'When to pull the image: Always, Never or IfNotPresent. Defaults to Always for the :latest tag and IfNotPresent otherwise. Cannot be updated.',
    ),
    securityContext: field(
      15,
      core('SecurityContext'),
      ephemeral
        ? 'Security options for the ephemeral container. Values set here override those of the pod-level security context.'
        : 'Security options for this container. Values set here override those of the pod-level security context.',
      { pointer: true },
    ),
    stdin: field(16, bool(), 'Allocate a stdin buffer for the container; without it, reads from stdin return EOF. Default false.'),
    stdinOnce: field(
      17,
      bool(),
      'Close stdin after the first attach session ends (instead of keeping it open across attaches). Default false.',
    ),
    tty: field(18, bool(), "Allocate a TTY for the container; requires 'stdin' to be true as well. Default false."),
  };
}

export const containerTypes: TypeDef[] = [
  type(CORE + 'Container', 'A single application container to run inside a pod.', containerFields(false)),

  type(
    CORE + 'EphemeralContainerCommon',
    'All Container fields, inlined into EphemeralContainer so that an ephemeral container converts easily into a Container.',
    containerFields(true),
  ),

  type(
    CORE + 'EphemeralContainer',
    'A temporary container added to a running pod (through the ephemeralcontainers subresource) for things such as debugging. It has no resource or scheduling guarantees and is never restarted.',
    {
      ephemeralContainerCommon: field(
        1,
        core('EphemeralContainerCommon'),
        'The Container-compatible fields of the ephemeral container.',
        { inline: true },
      ),
      targetContainerName: field(
        2,
        str(),
        "Name of a container of the pod whose namespaces (IPC, PID...) this ephemeral container joins. When empty it uses the pod's shared namespaces; the runtime must support targeting.",
      ),
    },
  ),

  type(CORE + 'ContainerPort', 'One network port of a container.', {
    name: field(
      1,
      str(),
      'Optional IANA_SVC_NAME for the port, unique within the pod, that Services can refer to.',
    ),
    hostPort: field(
      2,
      int32(),
      'Port number to expose on the host (1-65535). With hostNetwork it must equal containerPort. Rarely needed.',
    ),
    containerPort: field(3, int32(), "Port number to expose on the pod's IP address (1-65535).", { required: true }),
    protocol: field(4, str(PROTOCOLS), 'Protocol of the port: TCP, UDP or SCTP. Defaults to TCP.', { default: 'TCP' }),
    hostIP: field(5, str(), 'Host IP address to bind the host port to.'),
  }),

  type(CORE + 'EnvVar', 'One environment variable of a container.', {
    name: field(1, str(), "Name of the variable. Any printable ASCII characters except '='.", { required: true }),
    value: field(
      2,
      str(),
      'Literal value. $(VAR_NAME) references to earlier variables are expanded ($$ escapes). Defaults to "".',
    ),
    valueFrom: field(3, core('EnvVarSource'), 'Where to read the value from. Cannot be combined with a non-empty value.', {
      pointer: true,
    }),
  }),

  type(CORE + 'EnvVarSource', 'Source of the value of an environment variable. Exactly one member is set.', {
    fieldRef: field(
      1,
      core('ObjectFieldSelector'),
      "A field of the pod: metadata.name, metadata.namespace, metadata.labels['KEY'], metadata.annotations['KEY'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP or status.podIPs.",
      { pointer: true },
    ),
    resourceFieldRef: field(
      2,
      core('ResourceFieldSelector'),
      'A resource limit or request of the container (cpu, memory, ephemeral-storage).',
      { pointer: true },
    ),
    configMapKeyRef: field(3, core('ConfigMapKeySelector'), 'A key of a ConfigMap.', { pointer: true }),
    secretKeyRef: field(4, core('SecretKeySelector'), "A key of a Secret in the pod's namespace.", { pointer: true }),
  }),

  type(CORE + 'ConfigMapKeySelector', 'Picks one key of a ConfigMap.', {
    localObjectReference: field(1, core('LocalObjectReference'), 'The ConfigMap to read from.', { inline: true }),
    key: field(2, str(), 'The key to read.', { required: true }),
    optional: field(3, bool(), 'Whether it is acceptable for the ConfigMap or the key to be missing.', { pointer: true }),
  }),

  type(CORE + 'SecretKeySelector', 'Picks one key of a Secret.', {
    localObjectReference: field(1, core('LocalObjectReference'), "The Secret (in the pod's namespace) to read from.", {
      inline: true,
    }),
    key: field(2, str(), 'The key to read; must be a valid secret key.', { required: true }),
    optional: field(3, bool(), 'Whether it is acceptable for the Secret or the key to be missing.', { pointer: true }),
  }),

  type(CORE + 'ObjectFieldSelector', 'Selects one field of an object, by path in a given API version.', {
    apiVersion: field(1, str(), 'API version the fieldPath refers to. Defaults to "v1".', { default: 'v1' }),
    fieldPath: field(2, str(), 'Path of the field to select, in that API version.', { required: true }),
  }),

  type(
    CORE + 'ResourceFieldSelector',
    'Selects a container resource (limits.cpu, requests.memory, ...) and the unit to express it in.',
    {
      containerName: field(1, str(), 'Container whose resource is read. Required for volumes, optional for env vars.'),
      resource: field(2, str(), 'The resource to read, e.g. limits.cpu or requests.memory.', { required: true }),
      divisor: field(3, quantity(), 'Unit the value is divided by before it is exposed. Defaults to "1".'),
    },
  ),

  type(CORE + 'EnvFromSource', 'A ConfigMap or Secret whose keys all become environment variables.', {
    prefix: field(
      1,
      str(),
      "Optional text put in front of every variable name taken from the source. Any printable ASCII characters except '='.",
    ),
    configMapRef: field(2, core('ConfigMapEnvSource'), 'The ConfigMap to read.', { pointer: true }),
    secretRef: field(3, core('SecretEnvSource'), 'The Secret to read.', { pointer: true }),
  }),

  type(CORE + 'ConfigMapEnvSource', "A ConfigMap whose data entries become environment variables.", {
    localObjectReference: field(1, core('LocalObjectReference'), 'The ConfigMap to read.', { inline: true }),
    optional: field(2, bool(), 'Whether it is acceptable for the ConfigMap to be missing.', { pointer: true }),
  }),

  type(CORE + 'SecretEnvSource', 'A Secret whose data entries become environment variables.', {
    localObjectReference: field(1, core('LocalObjectReference'), 'The Secret to read.', { inline: true }),
    optional: field(2, bool(), 'Whether it is acceptable for the Secret to be missing.', { pointer: true }),
  }),

  type(CORE + 'VolumeMount', 'Mounts one pod volume into a container.', {
    name: field(1, str(), 'Name of the pod volume to mount.', { required: true }),
    readOnly: field(2, bool(), 'Mount read-only when true, read-write otherwise. Defaults to false.'),
    recursiveReadOnly: field(
      7,
      str(['Disabled', 'Enabled', 'IfPossible']),
      'Whether a read-only mount is also read-only for submounts: Disabled, IfPossible (when the runtime supports it) or Enabled (fail when unsupported). Only meaningful with readOnly; unset means Disabled.',
      { pointer: true },
    ),
    mountPath: field(3, str(), "Path inside the container where the volume is mounted. Must not contain ':'.", {
      required: true,
    }),
    subPath: field(4, str(), 'Path inside the volume to mount instead of its root. Defaults to "".'),
    mountPropagation: field(
      5,
      str(['Bidirectional', 'HostToContainer', 'None']),
      'How mounts propagate between host and container. None when unset.',
      { pointer: true },
    ),
    subPathExpr: field(
      6,
      str(),
      'Like subPath, but $(VAR_NAME) references are expanded from the container environment. Exclusive with subPath.',
    ),
  }),

  type(CORE + 'VolumeDevice', 'Maps a raw block volume into a container.', {
    name: field(1, str(), 'Name of a persistentVolumeClaim volume of the pod.', { required: true }),
    devicePath: field(2, str(), 'Path inside the container where the device appears.', { required: true }),
  }),

  type(CORE + 'ResourceRequirements', 'Compute resource requirements: requests, limits and claims.', {
    limits: field(1, map(quantity()), 'Maximum amount of each compute resource allowed.'),
    requests: field(
      2,
      map(quantity()),
      'Minimum amount of each compute resource required. Defaults to the limits when those are set; may not exceed them.',
    ),
    claims: field(
      3,
      array(core('ResourceClaim')),
      'Names of entries of spec.resourceClaims this container uses (dynamic resource allocation). Immutable; only for containers.',
      { listType: 'map', listMapKeys: ['name'] },
    ),
  }),

  type(CORE + 'ResourceClaim', 'Refers to one entry of PodSpec.resourceClaims.', {
    name: field(1, str(), "Name of an entry of the pod's spec.resourceClaims; makes that claim available to the container.", {
      required: true,
    }),
    request: field(
      2,
      str(),
      'Name of one request within the referenced claim. When empty the whole claim is made available.',
    ),
  }),

  type(CORE + 'ContainerResizePolicy', 'How a container reacts when one of its resources is resized in place.', {
    resourceName: field(1, str(), 'Resource the policy applies to (cpu or memory).', { required: true }),
    restartPolicy: field(
      2,
      str(['NotRequired', 'RestartContainer']),
      'What to do when the resource is resized: NotRequired or RestartContainer.',
      { required: true },
    ),
  }),

  type(CORE + 'Probe', 'A health check run against a container to see whether it is alive or ready for traffic.', {
    handler: field(1, core('ProbeHandler'), 'The action the probe performs.', { inline: true }),
    initialDelaySeconds: field(2, int32(), 'Seconds to wait after the container starts before the first probe.'),
    timeoutSeconds: field(3, int32(), 'Seconds after which one probe attempt times out. Defaults to 1; minimum 1.', {
      default: 1,
    }),
    periodSeconds: field(4, int32(), 'Seconds between probe attempts. Defaults to 10; minimum 1.', { default: 10 }),
    successThreshold: field(
      5,
      int32(),
      'Consecutive successes needed to count as healthy again after a failure. Defaults to 1 and must be 1 for liveness and startup probes.',
      { default: 1 },
    ),
    failureThreshold: field(
      6,
      int32(),
      'Consecutive failures needed to count as failed after a success. Defaults to 3; minimum 1.',
      { default: 3 },
    ),
    terminationGracePeriodSeconds: field(
      7,
      int64(),
      "Grace period (seconds) for stopping the pod when this probe fails, overriding the pod's terminationGracePeriodSeconds. Minimum 1.",
      { pointer: true },
    ),
  }),

  type(CORE + 'ProbeHandler', 'The action a probe performs. Exactly one member is set.', {
    exec: field(1, core('ExecAction'), 'Run a command inside the container.', { pointer: true }),
    httpGet: field(2, core('HTTPGetAction'), 'Send an HTTP GET request.', { pointer: true }),
    tcpSocket: field(3, core('TCPSocketAction'), 'Open a TCP connection to a port.', { pointer: true }),
    grpc: field(4, core('GRPCAction'), 'Send a gRPC health check request.', { pointer: true }),
  }),

  type(CORE + 'ExecAction', 'Runs a command inside the container.', {
    command: field(
      1,
      array(str()),
      "Command line to run, from the container's root directory and without a shell (call a shell explicitly for pipes etc.). Exit code 0 means healthy.",
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'HTTPGetAction', 'An HTTP GET request.', {
    path: field(1, str(), 'Path to request on the HTTP server.', { default: '/' }),
    port: field(2, intOrString(), 'Port to connect to: a number (1-65535) or the name of a container port.', {
      required: true,
    }),
    host: field(3, str(), 'Host to connect to; the pod IP when empty. Usually a Host header is what you want instead.'),
    scheme: field(4, str(['HTTP', 'HTTPS']), 'Scheme used to connect: HTTP or HTTPS. Defaults to HTTP.', {
      default: 'HTTP',
    }),
    httpHeaders: field(5, array(core('HTTPHeader')), 'Extra request headers; repeated names are allowed.', {
      listType: 'atomic',
    }),
  }),

  type(CORE + 'HTTPHeader', 'One HTTP header of a probe request.', {
    name: field(1, str(), 'Header name. It is canonicalised, so differently-cased names are the same header.', {
      required: true,
    }),
    value: field(2, str(), 'Header value.', { required: true }),
  }),

  type(CORE + 'TCPSocketAction', 'Opens a TCP connection.', {
    port: field(1, intOrString(), 'Port to connect to: a number (1-65535) or the name of a container port.', {
      required: true,
    }),
    host: field(2, str(), 'Host to connect to; the pod IP when empty.'),
  }),

  type(CORE + 'GRPCAction', 'A gRPC health check request.', {
    port: field(1, int32(), 'Port of the gRPC service (1-65535).', { required: true }),
    service: field(
      2,
      str(),
      'Service name placed in the gRPC HealthCheckRequest. When empty, the gRPC default behaviour applies.',
      { pointer: true, default: '' },
    ),
  }),

  type(
    CORE + 'Lifecycle',
    'Actions run on container lifecycle events. The container is blocked until the action completes (or the container process fails).',
    {
      postStart: field(
        1,
        core('LifecycleHandler'),
        'Runs right after the container is created. If it fails, the container is killed and restarted according to the restart policy.',
        { pointer: true },
      ),
      preStop: field(
        2,
        core('LifecycleHandler'),
        "Runs right before the container is stopped by an API request or management event (not when it crashes). The pod's termination grace period keeps running meanwhile.",
        { pointer: true },
      ),
    },
  ),

  type(CORE + 'LifecycleHandler', 'The action of a lifecycle hook. Exactly one member (other than tcpSocket) is set.', {
    exec: field(1, core('ExecAction'), 'Run a command inside the container.', { pointer: true }),
    httpGet: field(2, core('HTTPGetAction'), 'Send an HTTP GET request.', { pointer: true }),
    tcpSocket: field(
      3,
      core('TCPSocketAction'),
      'Deprecated and unsupported for lifecycle hooks; kept for compatibility and fails at runtime.',
      { pointer: true },
    ),
    sleep: field(4, core('SleepAction'), 'Sleep for a number of seconds.', { pointer: true }),
  }),

  type(CORE + 'SleepAction', 'Sleeps for a while.', {
    seconds: field(1, int64(), 'Number of seconds to sleep.', { required: true }),
  }),
];
