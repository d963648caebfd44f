// core/v1 Pod, its spec and status, PodTemplate and Binding. Facts follow k8s.io/api v1.32.
import {
  array,
  bool,
  field,
  int32,
  int64,
  map,
  quantity,
  str,
  time,
  type,
  type TypeDef,
} from './dsl.js';
import { CONDITION_STATUS, CORE, METADATA_DOC, core, coreGVK, meta } from './core-refs.js';

export const podTypes: TypeDef[] = [
  type(
    CORE + 'Pod',
    'A group of containers that run together on one host. Created by clients and scheduled onto nodes.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      spec: field(2, core('PodSpec'), 'Desired behaviour of the pod.'),
      status: field(
        3,
        core('PodStatus'),
        'Most recently observed status of the pod, filled in by the system. Read-only and possibly out of date.',
      ),
    },
    coreGVK('Pod'),
  ),

  type(CORE + 'PodSpec', 'Description of a pod: its containers, volumes and how it is scheduled and run.', {
    volumes: field(1, array(core('Volume')), 'Volumes that containers of the pod can mount.', {
      patchStrategy: 'merge,retainKeys',
      mergeKey: 'name',
      listType: 'map',
      listMapKeys: ['name'],
    }),
    initContainers: field(
      20,
      array(core('Container')),
      'Containers run one after another, each to completion, before the regular containers start. A failure is handled by the restartPolicy. They may not have lifecycle hooks or probes (sidecars excepted). Cannot be added or removed.',
      { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    containers: field(
      2,
      array(core('Container')),
      'The containers of the pod; at least one. Cannot be added or removed.',
      { required: true, patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    ephemeralContainers: field(
      34,
      array(core('EphemeralContainer')),
      'Ephemeral containers run in this pod, e.g. for debugging. Cannot be set at creation or changed by updating the spec: use the ephemeralcontainers subresource.',
      { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    restartPolicy: field(
      3,
      str(['Always', 'Never', 'OnFailure']),
      'Restart policy of all containers of the pod: Always, OnFailure or Never. Defaults to Always.',
      { default: 'Always' },
    ),
    terminationGracePeriodSeconds: field(
      4,
      int64(),
      'Seconds between the termination signal and the kill signal when the pod is stopped; 0 kills at once. A delete request may shorten it. Defaults to 30.',
      { pointer: true, default: 30 },
    ),
    activeDeadlineSeconds: field(
      5,
      int64(),
      'Seconds, counted from the start time, the pod may stay active on a node before the system marks it failed and kills its containers. Must be positive.',
      { pointer: true },
    ),
    dnsPolicy: field(
      6,
      str(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']),
      'DNS policy of the pod: ClusterFirst (the default), ClusterFirstWithHostNet, Default or None. dnsConfig is merged into the result.',
      { default: 'ClusterFirst' },
    ),
    nodeSelector: field(
      7,
      map(str()),
      "Labels a node must carry for the pod to be scheduled onto it.",
    ),
    serviceAccountName: field(8, str(), 'Name of the ServiceAccount the pod runs as.'),
    serviceAccount: field(9, str(), 'Deprecated alias of serviceAccountName.'),
    automountServiceAccountToken: field(
      21,
      bool(),
      'Whether an API token of the service account is mounted into the pod automatically.',
      { pointer: true },
    ),
    nodeName: field(
      10,
      str(),
      "Node the pod is bound to. When empty the scheduler picks one; once set, that node's kubelet runs the pod. Not meant for expressing placement wishes.",
    ),
    hostNetwork: field(
      11,
      bool(),
      "Use the host's network namespace. Container hostPorts must then match containerPorts. Default false.",
    ),
    hostPID: field(12, bool(), "Use the host's PID namespace. Default false."),
    hostIPC: field(13, bool(), "Use the host's IPC namespace. Default false."),
    shareProcessNamespace: field(
      27,
      bool(),
      'Run all containers of the pod in one PID namespace, so they see and can signal each other. Exclusive with hostPID. Default false.',
      { pointer: true },
    ),
    securityContext: field(
      14,
      core('PodSecurityContext'),
      'Pod-level security settings and defaults for the container settings. Empty by default.',
      { pointer: true, default: {} },
    ),
    imagePullSecrets: field(
      15,
      array(core('LocalObjectReference')),
      'Secrets in the same namespace that hold credentials for pulling the images of this pod.',
      { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    hostname: field(16, str(), 'Hostname of the pod; a system-chosen value when empty.'),
    subdomain: field(
      17,
      str(),
      'Subdomain of the pod. When set the pod FQDN is "<hostname>.<subdomain>.<namespace>.svc.<cluster domain>"; otherwise it has no domain name.',
    ),
    affinity: field(18, core('Affinity'), 'Scheduling constraints of the pod.', { pointer: true }),
    schedulerName: field(19, str(), 'Scheduler that places the pod. Defaults to the default scheduler.', {
      default: 'default-scheduler',
    }),
    tolerations: field(22, array(core('Toleration')), 'Taints the pod tolerates.', { listType: 'atomic' }),
    hostAliases: field(
      23,
      array(core('HostAlias')),
      "Extra IP-to-hostname entries written into the pod's hosts file.",
      { patchStrategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    ),
    priorityClassName: field(
      24,
      str(),
      'Name of the PriorityClass that gives the pod its priority. "system-node-critical" and "system-cluster-critical" are built in and the highest.',
    ),
    priority: field(
      25,
      int32(),
      'Priority value of the pod, filled in from priorityClassName by the priority admission controller. Higher means more important.',
      { pointer: true },
    ),
    dnsConfig: field(26, core('PodDNSConfig'), 'DNS settings merged into the configuration that dnsPolicy produces.', {
      pointer: true,
    }),
    readinessGates: field(
      28,
      array(core('PodReadinessGate')),
      'Extra pod conditions that must all be "True", besides ready containers, for the pod to be ready.',
      { listType: 'atomic' },
    ),
    runtimeClassName: field(
      29,
      str(),
      'Name of the node.k8s.io RuntimeClass used to run the pod. The legacy default runtime handler is used when empty.',
      { pointer: true },
    ),
    enableServiceLinks: field(
      30,
      bool(),
      'Whether Docker-link style environment variables describing services are injected into the pod. Defaults to true.',
      { pointer: true, default: true },
    ),
    preemptionPolicy: field(
      31,
      str(['Never', 'PreemptLowerPriority']),
      'Whether the pod may preempt pods of lower priority: PreemptLowerPriority (the default) or Never.',
      { pointer: true },
    ),
    overhead: field(
      32,
      map(quantity()),
      "Resources consumed by the pod's runtime itself, beyond its containers. Filled in at admission from the RuntimeClass; must not be set when creating.",
    ),
    topologySpreadConstraints: field(
      33,
      array(core('TopologySpreadConstraint')),
      'How pods like this one should be spread over topology domains. All constraints apply together.',
      {
        patchStrategy: 'merge',
        mergeKey: 'topologyKey',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
    ),
    setHostnameAsFQDN: field(
      35,
      bool(),
      "Use the pod's FQDN instead of its short name as the hostname seen inside the containers. No effect without an FQDN. Default false.",
      { pointer: true },
    ),
    os: field(
      36,
      core('PodOS'),
      'Operating system the containers need. Setting it restricts which pod and container fields are allowed (e.g. no windowsOptions for linux).',
      { pointer: true },
    ),
    hostUsers: field(
      37,
      bool(),
      "Use the host's user namespace (the default, true). False gives the pod its own user namespace, so root inside is not root on the host.",
      { pointer: true },
    ),
    schedulingGates: field(
      38,
      array(core('PodSchedulingGate')),
      'While this list is not empty the pod stays SchedulingGated and is not scheduled. Gates can only be set at creation and then only removed.',
      { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    resourceClaims: field(
      39,
      array(core('PodResourceClaim')),
      'ResourceClaims that must be allocated and reserved before the pod starts; containers use them by name. Immutable.',
      { patchStrategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
    resources: field(
      40,
      core('ResourceRequirements'),
      'Total CPU and memory for all containers of the pod together (pod-level resources; only cpu and memory, no claims). Alpha.',
      { pointer: true },
    ),
  }),

  type(
    CORE + 'PodStatus',
    'Observed status of a pod. It may lag behind reality, e.g. when the node cannot reach the control plane.',
    {
      phase: field(
        1,
        str(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']),
        'High-level summary of where the pod is in its lifecycle: Pending, Running, Succeeded, Failed or Unknown.',
      ),
      conditions: field(2, array(core('PodCondition')), 'Current conditions of the pod.', {
        patchStrategy: 'merge',
        mergeKey: 'type',
        listType: 'map',
        listMapKeys: ['type'],
      }),
      message: field(3, str(), 'Human-readable explanation of why the pod is in this condition.'),
      reason: field(4, str(), "Brief CamelCase reason for the pod's state, e.g. 'Evicted'."),
      nominatedNodeName: field(
        11,
        str(),
        'Node on which the pod is expected to run after it preempted other pods there. Not a guarantee: the pod may end up elsewhere.',
      ),
      hostIP: field(5, str(), 'IP address of the node the pod is assigned to. Empty until the pod has started.'),
      hostIPs: field(
        16,
        array(core('HostIP')),
        'IP addresses of the node the pod is assigned to; the first equals hostIP. Empty until the pod has started.',
        { patchStrategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
      ),
      podIP: field(6, str(), 'IP address of the pod, routable at least inside the cluster. Empty until allocated.'),
      podIPs: field(
        12,
        array(core('PodIP')),
        'IP addresses of the pod, at most one per family (IPv4, IPv6); the first equals podIP. Empty until allocated.',
        { patchStrategy: 'merge', mergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
      ),
      startTime: field(
        7,
        time(),
        'When the kubelet acknowledged the pod, before any image was pulled (RFC 3339).',
        { pointer: true },
      ),
      initContainerStatuses: field(
        10,
        array(core('ContainerStatus')),
        'Status of each init container, at most one entry per container.',
        { listType: 'atomic' },
      ),
      containerStatuses: field(
        8,
        array(core('ContainerStatus')),
        'Status of each regular container, at most one entry per container.',
        { listType: 'atomic' },
      ),
      qosClass: field(
        9,
        str(['BestEffort', 'Burstable', 'Guaranteed']),
        'Quality of Service class of the pod, derived from its resource requests and limits.',
      ),
      ephemeralContainerStatuses: field(
        13,
        array(core('ContainerStatus')),
        'Status of each ephemeral container that has run in the pod.',
        { listType: 'atomic' },
      ),
      resize: field(
        14,
        str(['Deferred', 'InProgress', 'Infeasible', 'Proposed']),
        'State of a pending in-place resize of container resources; empty when none is pending.',
      ),
      resourceClaimStatuses: field(
        15,
        array(core('PodResourceClaimStatus')),
        'Status of the resource claims of the pod.',
        { patchStrategy: 'merge,retainKeys', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ),
    },
  ),

  type(CORE + 'PodCondition', 'One condition of a pod.', {
    type: field(1, str(), 'Type of the condition, e.g. Ready or PodScheduled.', { required: true }),
    status: field(2, str(CONDITION_STATUS), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastProbeTime: field(3, time(), 'When the condition was last probed.'),
    lastTransitionTime: field(4, time(), 'When the condition last changed status.'),
    reason: field(5, str(), "Unique one-word CamelCase reason for the last transition."),
    message: field(6, str(), 'Human-readable details about the last transition.'),
  }),

  type(CORE + 'PodIP', 'One IP address allocated to a pod.', {
    ip: field(1, str(), 'The IP address.', { required: true }),
  }),

  type(CORE + 'HostIP', 'One IP address of the host a pod runs on.', {
    ip: field(1, str(), 'The IP address.', { required: true }),
  }),

  type(CORE + 'ContainerStatus', 'Current status of one container.', {
    name: field(1, str(), 'Name of the container (a DNS_LABEL, unique across all containers of the pod).', {
      required: true,
    }),
    state: field(2, core('ContainerState'), 'Current state of the container.'),
    lastState: field(
      3,
      core('ContainerState'),
      'Last termination state, to help debug crashes and restarts. Empty while the container runs and has never restarted.',
    ),
    ready: field(
      4,
      bool(),
      'Whether the container currently passes its readiness check (true once started when it has no readiness probe).',
      { required: true },
    ),
    restartCount: field(
      5,
      int32(),
      'How many times the container has been restarted. Never negative; may reset to 0 if the node loses state.',
      { required: true },
    ),
    image: field(6, str(), 'Image the container runs, possibly as resolved by the runtime.', { required: true }),
    imageID: field(7, str(), "ID of the container's image, possibly as resolved by the runtime.", { required: true }),
    containerID: field(8, str(), "ID of the container as '<type>://<container_id>', e.g. containerd://..."),
    started: field(
      9,
      bool(),
      'Whether the container has finished its postStart hook and passed its startup probe. Resets to false on restart; null means false.',
      { pointer: true },
    ),
    allocatedResources: field(
      10,
      map(quantity()),
      'Compute resources the node has allocated to this container (its admitted requests).',
    ),
    resources: field(
      11,
      core('ResourceRequirements'),
      'Requests and limits actually applied to the running container after start or a successful resize.',
      { pointer: true },
    ),
    volumeMounts: field(12, array(core('VolumeMountStatus')), 'Status of the volume mounts.', {
      patchStrategy: 'merge',
      mergeKey: 'mountPath',
      listType: 'map',
      listMapKeys: ['mountPath'],
    }),
    user: field(
      13,
      core('ContainerUser'),
      'User identity attached to the first process of the container.',
      { pointer: true },
    ),
    allocatedResourcesStatus: field(
      14,
      array(core('ResourceStatus')),
      'Health of the resources allocated to the container.',
      { patchStrategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    ),
  }),

  type(
    CORE + 'ContainerState',
    'State of a container. At most one member is set; when none is, the container is waiting.',
    {
      waiting: field(1, core('ContainerStateWaiting'), 'Details about a waiting container.', { pointer: true }),
      running: field(2, core('ContainerStateRunning'), 'Details about a running container.', { pointer: true }),
      terminated: field(3, core('ContainerStateTerminated'), 'Details about a terminated container.', {
        pointer: true,
      }),
    },
  ),

  type(CORE + 'ContainerStateWaiting', 'A container that is not running yet.', {
    reason: field(1, str(), 'Brief reason why the container is not running yet.'),
    message: field(2, str(), 'Message explaining why the container is not running yet.'),
  }),

  type(CORE + 'ContainerStateRunning', 'A running container.', {
    startedAt: field(1, time(), 'When the container was last (re)started.'),
  }),

  type(CORE + 'ContainerStateTerminated', 'A terminated container.', {
    exitCode: field(1, int32(), 'Exit status of the last termination.', { required: true }),
    signal: field(2, int32(), 'Signal that ended the container, if any.'),
    reason: field(3, str(), 'Brief reason for the last termination.'),
    message: field(4, str(), 'Message about the last termination.'),
    startedAt: field(5, time(), 'When the previous run of the container started.'),
    finishedAt: field(6, time(), 'When the container last terminated.'),
    containerID: field(7, str(), "ID of the container as '<type>://<container_id>'."),
  }),

  type(CORE + 'ContainerUser', 'User identity information of a container.', {
    linux: field(
      1,
      core('LinuxContainerUser'),
      'Identity of the first process of a Linux container. The process may change it later if privileged enough.',
      { pointer: true },
    ),
  }),

  type(CORE + 'LinuxContainerUser', 'User identity of the first process of a Linux container.', {
    uid: field(1, int64(), 'Primary UID of the first process.', { required: true }),
    gid: field(2, int64(), 'Primary GID of the first process.', { required: true }),
    supplementalGroups: field(3, array(int64()), 'Supplemental groups of the first process.', {
      listType: 'atomic',
    }),
  }),

  type(CORE + 'VolumeMountStatus', 'Status of one volume mount of a container.', {
    name: field(1, str(), 'Name of the original VolumeMount.', { required: true }),
    mountPath: field(2, str(), 'Mount path of the original VolumeMount.', { required: true }),
    readOnly: field(3, bool(), 'Read-only setting of the original VolumeMount.'),
    recursiveReadOnly: field(
      4,
      str(['Disabled', 'Enabled', 'IfPossible']),
      'Effective recursive read-only mode: Disabled or Enabled (IfPossible is resolved to one of them), unset for writable mounts.',
      { pointer: true },
    ),
  }),

  type(CORE + 'ResourceStatus', 'Health of one resource allocated to a pod or container.', {
    name: field(
      1,
      str(),
      'Resource name: one from the pod spec, or "claim:<claim_name>/<request>" for dynamically allocated resources. Unique within the pod.',
      { required: true },
    ),
    resources: field(
      2,
      array(core('ResourceHealth')),
      'Health of each allocated resource instance, one entry per resource ID.',
      { listType: 'map', listMapKeys: ['resourceID'] },
    ),
  }),

  type(CORE + 'ResourceHealth', 'Latest known health of one allocated device or resource instance.', {
    resourceID: field(1, str(), 'Unique identifier of the resource on the node.', { required: true }),
    health: field(2, str(), 'Health of the resource: Healthy, Unhealthy or Unknown.'),
  }),

  type(CORE + 'PodResourceClaim', 'Names one ResourceClaim (directly or through a ResourceClaimTemplate) for use by the pod.', {
    name: field(1, str(), 'Name of the claim inside the pod (a DNS_LABEL), used by containers to refer to it.', {
      required: true,
    }),
    resourceClaimName: field(
      3,
      str(),
      'Name of an existing ResourceClaim in the pod namespace. Exactly one of this and resourceClaimTemplateName is set.',
      { pointer: true },
    ),
    resourceClaimTemplateName: field(
      4,
      str(),
      'Name of a ResourceClaimTemplate from which a ResourceClaim is created for (and deleted with) this pod. Immutable.',
      { pointer: true },
    ),
  }),

  type(CORE + 'PodResourceClaimStatus', 'Name of the ResourceClaim generated for one template-based pod resource claim.', {
    name: field(1, str(), 'Name of the matching entry of pod.spec.resourceClaims.', { required: true }),
    resourceClaimName: field(
      2,
      str(),
      'Name of the ResourceClaim generated in the pod namespace. Unset when no claim was needed.',
      { pointer: true },
    ),
  }),

  type(CORE + 'HostAlias', "An IP address and the hostnames written for it into the pod's hosts file.", {
    ip: field(1, str(), 'IP address of the hosts file entry.', { required: true }),
    hostnames: field(2, array(str()), 'Hostnames for that IP address.', { listType: 'atomic' }),
  }),

  type(CORE + 'PodDNSConfig', 'DNS parameters of a pod on top of those produced by the DNS policy.', {
    nameservers: field(
      1,
      array(str()),
      'DNS server IP addresses appended to those from the DNS policy (duplicates removed).',
      { listType: 'atomic' },
    ),
    searches: field(
      2,
      array(str()),
      'Search domains appended to those from the DNS policy (duplicates removed).',
      { listType: 'atomic' },
    ),
    options: field(
      3,
      array(core('PodDNSConfigOption')),
      'Resolver options merged with those from the DNS policy; these take precedence.',
      { listType: 'atomic' },
    ),
  }),

  type(CORE + 'PodDNSConfigOption', 'One DNS resolver option of a pod.', {
    name: field(1, str(), 'Name of the option. Required.'),
    value: field(2, str(), 'Value of the option.', { pointer: true }),
  }),

  type(CORE + 'PodReadinessGate', 'A pod condition that must be true for the pod to be ready.', {
    conditionType: field(1, str(), 'Type of a condition in the pod condition list.', { required: true }),
  }),

  type(CORE + 'PodOS', 'Operating system a pod needs.', {
    name: field(
      1,
      str(),
      'Name of the operating system: currently linux or windows. Unknown values should be treated like an unset os.',
      { required: true },
    ),
  }),

  type(CORE + 'PodSchedulingGate', 'A gate that keeps the pod from being scheduled while present.', {
    name: field(1, str(), 'Name of the gate; unique within the pod.', { required: true }),
  }),

  type(CORE + 'PodTemplateSpec', 'What a pod created from a template looks like.', {
    metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
    spec: field(2, core('PodSpec'), 'Desired behaviour of the pod.'),
  }),

  type(
    CORE + 'PodTemplate',
    'A stored template for creating copies of a pod.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      template: field(2, core('PodTemplateSpec'), 'The pods created from this template.'),
    },
    coreGVK('PodTemplate'),
  ),

  type(
    CORE + 'Binding',
    'Binds one object to another, e.g. a pod to a node (what a scheduler posts). Prefer the pods/binding subresource.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      target: field(2, core('ObjectReference'), 'The object to bind to.', { required: true }),
    },
    coreGVK('Binding'),
  ),
];
