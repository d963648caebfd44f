// core/v1 Node and its spec/status types. Facts follow k8s.io/api v1.32.
import { array, bool, field, int32, int64, map, quantity, str, time, type, type TypeDef } from './dsl.js';
import { CONDITION_STATUS, CORE, METADATA_DOC, TAINT_EFFECTS, core, coreGVK, meta } from './core-refs.js';

export const nodeTypes: TypeDef[] = [
  type(
    CORE + 'Node',
    'A worker machine of the cluster. Each node has a unique identity in the cluster store.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      spec: field(2, core('NodeSpec'), 'Desired behaviour of the node.'),
      status: field(3, core('NodeStatus'), 'Most recently observed status of the node, filled in by the system. Read-only.'),
    },
    coreGVK('Node'),
  ),

  type(CORE + 'NodeSpec', 'Attributes a node is created with.', {
    podCIDR: field(1, str(), 'Pod IP range assigned to the node.'),
    podCIDRs: field(
      7,
      array(str()),
      'Pod IP ranges assigned to the node, at most one per IP family. The first must equal podCIDR.',
      { patchStrategy: 'merge', listType: 'set' },
    ),
    providerID: field(3, str(), 'ID of the node given by the cloud provider, as <ProviderName>://<ProviderSpecificNodeID>.'),
    unschedulable: field(4, bool(), 'Keep new pods from being scheduled onto the node. Nodes are schedulable by default.'),
    taints: field(5, array(core('Taint')), 'Taints of the node.', { listType: 'atomic' }),
    configSource: field(
      6,
      core('NodeConfigSource'),
      'Deprecated: source of the node configuration for the removed DynamicKubeletConfig feature.',
      { pointer: true },
    ),
    externalID: field(2, str(), 'Deprecated and not set by all kubelets.'),
  }),

  type(CORE + 'Taint', 'A taint on a node; pods that do not tolerate it are affected according to its effect.', {
    key: field(1, str(), 'Key of the taint.', { required: true }),
    value: field(2, str(), 'Value of the taint.'),
    effect: field(
      3,
      str(TAINT_EFFECTS),
      'Effect on pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute.',
      { required: true },
    ),
    timeAdded: field(4, time(), 'When the taint was added.', { pointer: true }),
  }),

  type(CORE + 'NodeConfigSource', 'Source of node configuration; exactly one member is set. Deprecated since 1.22.', {
    configMap: field(2, core('ConfigMapNodeConfigSource'), 'A ConfigMap holding the node configuration.', {
      pointer: true,
    }),
  }),

  type(CORE + 'ConfigMapNodeConfigSource', 'A ConfigMap used as configuration source of a node. Deprecated since 1.22.', {
    namespace: field(1, str(), 'Namespace of the ConfigMap. Always required.', { required: true }),
    name: field(2, str(), 'Name of the ConfigMap. Always required.', { required: true }),
    uid: field(3, str(), 'UID of the ConfigMap. Forbidden in the spec, required in the status.'),
    resourceVersion: field(4, str(), 'resourceVersion of the ConfigMap. Forbidden in the spec, required in the status.'),
    kubeletConfigKey: field(
      5,
      str(),
      'Key of the ConfigMap that holds the KubeletConfiguration. Always required.',
      { required: true },
    ),
  }),

  type(CORE + 'NodeStatus', 'Observed status of a node.', {
    capacity: field(1, map(quantity()), 'Total resources of the node.'),
    allocatable: field(
      2,
      map(quantity()),
      'Resources of the node available for scheduling pods. Defaults to the capacity.',
    ),
    phase: field(
      3,
      str(['Pending', 'Running', 'Terminated']),
      'Lifecycle phase of the node. Never filled in any more; deprecated.',
    ),
    conditions: field(4, array(core('NodeCondition')), 'Current conditions of the node.', {
      patchStrategy: 'merge',
      mergeKey: 'type',
      listType: 'map',
      listMapKeys: ['type'],
    }),
    addresses: field(
      5,
      array(core('NodeAddress')),
      'Addresses at which the node can be reached. Merging by type is not reliable: replace the whole list when patching.',
      { patchStrategy: 'merge', mergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    ),
    daemonEndpoints: field(6, core('NodeDaemonEndpoints'), 'Endpoints of the daemons running on the node.'),
    nodeInfo: field(7, core('NodeSystemInfo'), 'IDs and versions that identify the node.'),
    images: field(8, array(core('ContainerImage')), 'Container images present on the node.', { listType: 'atomic' }),
    volumesInUse: field(9, array(str()), 'Attachable volumes in use (mounted) on the node.', { listType: 'atomic' }),
    volumesAttached: field(10, array(core('AttachedVolume')), 'Volumes attached to the node.', {
      listType: 'atomic',
    }),
    config: field(
      11,
      core('NodeConfigStatus'),
      'Status of the configuration assigned through the dynamic kubelet config feature.',
      { pointer: true },
    ),
    runtimeHandlers: field(12, array(core('NodeRuntimeHandler')), 'Runtime handlers available on the node.', {
      listType: 'atomic',
    }),
    features: field(13, core('NodeFeatures'), 'Features the container runtime (CRI) implements.', {
      pointer: true,
    }),
  }),

  type(CORE + 'NodeCondition', 'One condition of a node.', {
    type: field(1, str(), 'Type of the condition, e.g. Ready or MemoryPressure.', { required: true }),
    status: field(2, str(CONDITION_STATUS), 'Status of the condition: True, False or Unknown.', { required: true }),
    lastHeartbeatTime: field(3, time(), 'When the condition was last updated.'),
    lastTransitionTime: field(4, time(), 'When the condition last changed status.'),
    reason: field(5, str(), 'Brief reason for the last transition.'),
    message: field(6, str(), 'Human-readable details about the last transition.'),
  }),

  type(CORE + 'NodeAddress', 'One address of a node.', {
    type: field(1, str(), 'Kind of address: Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.', {
      required: true,
    }),
    address: field(2, str(), 'The address.', { required: true }),
  }),

  type(CORE + 'NodeDaemonEndpoints', 'Ports opened by daemons running on a node.', {
    kubeletEndpoint: field(1, core('DaemonEndpoint'), 'Endpoint the kubelet listens on.'),
  }),

  type(CORE + 'DaemonEndpoint', 'One daemon endpoint.', {
    Port: field(1, int32(), 'Port number of the endpoint.', { required: true }),
  }),

  type(CORE + 'NodeSystemInfo', 'IDs and versions that identify a node.', {
    machineID: field(1, str(), 'Machine ID reported by the node (see machine-id(5)); the preferred unique machine identifier.', {
      required: true,
    }),
    systemUUID: field(2, str(), 'System UUID reported by the node. machineID is preferred for identification.', {
      required: true,
    }),
    bootID: field(3, str(), 'Boot ID reported by the node.', { required: true }),
    kernelVersion: field(4, str(), "Kernel version reported by the node ('uname -r').", { required: true }),
    osImage: field(5, str(), 'OS image reported by the node, from /etc/os-release.', { required: true }),
    containerRuntimeVersion: field(
      6,
      str(),
      'Container runtime name and version reported through the runtime API, e.g. containerd://1.7.0.',
      { required: true },
    ),
    kubeletVersion: field(7, str(), 'Kubelet version reported by the node.', { required: true }),
    kubeProxyVersion: field(8, str(), 'Deprecated: kube-proxy version reported by the node.', { required: true }),
    operatingSystem: field(9, str(), 'Operating system reported by the node.', { required: true }),
    architecture: field(10, str(), 'CPU architecture reported by the node.', { required: true }),
  }),

  type(CORE + 'ContainerImage', 'A container image present on a node.', {
    names: field(1, array(str()), 'Names (references) by which the image is known.', { listType: 'atomic' }),
    sizeBytes: field(2, int64(), 'Size of the image in bytes.'),
  }),

  type(CORE + 'AttachedVolume', 'A volume attached to a node.', {
    name: field(1, str(), 'Name of the attached volume.', { required: true }),
    devicePath: field(2, str(), 'Device path at which the volume should be available.', { required: true }),
  }),

  type(CORE + 'NodeConfigStatus', 'Status of the configuration assigned through Node.spec.configSource. Deprecated.', {
    assigned: field(
      1,
      core('NodeConfigSource'),
      'Configuration the node will try to use, as checkpointed to local disk.',
      { pointer: true },
    ),
    active: field(
      2,
      core('NodeConfigSource'),
      'Configuration the node actually uses: the assigned one, or the last known good one after an error.',
      { pointer: true },
    ),
    lastKnownGood: field(
      3,
      core('NodeConfigSource'),
      'Configuration the node falls back to when the assigned one fails.',
      { pointer: true },
    ),
    error: field(4, str(), 'Human-readable description of a problem applying the assigned configuration.'),
  }),

  type(CORE + 'NodeRuntimeHandler', 'A runtime handler of a node and its features.', {
    name: field(1, str(), 'Name of the runtime handler; empty for the default one.'),
    features: field(2, core('NodeRuntimeHandlerFeatures'), 'Features the handler supports.', { pointer: true }),
  }),

  type(CORE + 'NodeRuntimeHandlerFeatures', 'Features implemented by a runtime handler.', {
    recursiveReadOnlyMounts: field(1, bool(), 'Whether the handler supports recursive read-only mounts.', {
      pointer: true,
    }),
    userNamespaces: field(2, bool(), 'Whether the handler supports user namespaces, volumes included.', {
      pointer: true,
    }),
  }),

  type(CORE + 'NodeFeatures', 'Features of the container runtime (CRI) itself, independent of runtime handlers.', {
    supplementalGroupsPolicy: field(
      1,
      bool(),
      'Whether the runtime supports supplementalGroupsPolicy and reports container user information.',
      { pointer: true },
    ),
  }),
];
