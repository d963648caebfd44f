// core/v1 Service and Endpoints types. Facts follow k8s.io/api v1.32.
import { array, bool, field, int32, intOrString, map, str, type, type TypeDef } from './dsl.js';
import { CORE, METADATA_DOC, PROTOCOLS, core, coreGVK, meta } from './core-refs.js';

const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;

export const serviceTypes: TypeDef[] = [
  type(
    CORE + 'Service',
    'A named, stable network endpoint (virtual IP and ports) in front of a set of pods chosen by a label selector.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      spec: field(2, core('ServiceSpec'), 'Desired behaviour of the service.'),
      status: field(3, core('ServiceStatus'), 'Most recently observed status of the service, filled in by the system. Read-only.'),
    },
    coreGVK('Service'),
  ),

  type(CORE + 'ServiceSpec', 'Attributes a user sets on a service.', {
    ports: field(1, array(core('ServicePort')), 'Ports exposed by the service.', {
      patchStrategy: 'merge',
      mergeKey: 'port',
      listType: 'map',
      listMapKeys: ['port', 'protocol'],
    }),
    selector: field(
      2,
      map(str()),
      'Pods with these labels receive the traffic. When empty the endpoints are managed outside Kubernetes. Ignored for ExternalName.',
    ),
    clusterIP: field(
      3,
      str(),
      'IP address of the service, usually assigned at random. "None" makes a headless service. Cannot change except when switching to or from ExternalName.',
    ),
    clusterIPs: field(
      18,
      array(str()),
      'IP addresses of the service, one per IP family (at most two); the first equals clusterIP. Filled from clusterIP when unset.',
      { listType: 'atomic' },
    ),
    type: field(
      4,
      str(['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
      'How the service is exposed: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.',
      { default: 'ClusterIP' },
    ),
    externalIPs: field(
      5,
      array(str()),
      'Extra IP addresses, not managed by Kubernetes, on which nodes also accept traffic for the service.',
      { listType: 'atomic' },
    ),
    sessionAffinity: field(
      7,
      str(['ClientIP', 'None']),
      'Session affinity: ClientIP sends each client to the same endpoint; None (the default) does not.',
      { default: 'None' },
    ),
    loadBalancerIP: field(
      8,
      str(),
      'Requested IP of the load balancer, if the cloud provider supports it. Deprecated: non-portable.',
    ),
    loadBalancerSourceRanges: field(
      9,
      array(str()),
      'Client IP ranges allowed through the cloud load balancer, if the provider supports it.',
      { listType: 'atomic' },
    ),
    externalName: field(
      10,
      str(),
      'External DNS name returned as an alias (CNAME) for the service; requires type ExternalName.',
    ),
    externalTrafficPolicy: field(
      11,
      str(TRAFFIC_POLICIES),
      'How traffic arriving on external addresses (node ports, external and load balancer IPs) is routed: Cluster (any endpoint) or Local (node-local endpoints only, keeping the client IP).',
    ),
    healthCheckNodePort: field(
      12,
      int32(),
      'Node port serving health checks, for LoadBalancer services with externalTrafficPolicy Local. Allocated when unset; immutable.',
    ),
    publishNotReadyAddresses: field(
      13,
      bool(),
      'Treat all endpoints as ready regardless of readiness, e.g. so a StatefulSet headless service publishes its pods for peer discovery.',
    ),
    sessionAffinityConfig: field(14, core('SessionAffinityConfig'), 'Settings of the session affinity.', {
      pointer: true,
    }),
    ipFamilies: field(
      19,
      array(str(['IPv4', 'IPv6'])),
      'IP families of the service (at most two), matching clusterIPs. Usually assigned from cluster configuration and ipFamilyPolicy.',
      { listType: 'atomic' },
    ),
    ipFamilyPolicy: field(
      17,
      str(['PreferDualStack', 'RequireDualStack', 'SingleStack']),
      'Dual-stack requirement: SingleStack (the default), PreferDualStack or RequireDualStack.',
      { pointer: true },
    ),
    allocateLoadBalancerNodePorts: field(
      20,
      bool(),
      'Whether node ports are allocated for a LoadBalancer service. Defaults to true.',
      { pointer: true },
    ),
    loadBalancerClass: field(
      21,
      str(),
      'Class of load balancer implementation that handles this LoadBalancer service, e.g. "example.com/internal-vip". Set once; immutable.',
      { pointer: true },
    ),
    internalTrafficPolicy: field(
      22,
      str(TRAFFIC_POLICIES),
      'How traffic to the cluster IP is routed: Cluster (any endpoint) or Local (only endpoints on the same node).',
      { pointer: true },
    ),
    trafficDistribution: field(
      23,
      str(),
      'Hint for distributing traffic to endpoints, e.g. PreferClose to favour endpoints in the same zone.',
      { pointer: true },
    ),
  }),

  type(CORE + 'ServicePort', 'One port of a service.', {
    name: field(
      1,
      str(),
      'Name of the port, a DNS_LABEL unique within the service. Matches the name of the EndpointPort. Optional with a single port.',
    ),
    protocol: field(2, str(PROTOCOLS), 'Protocol of the port: TCP, UDP or SCTP. Defaults to TCP.', { default: 'TCP' }),
    appProtocol: field(
      6,
      str(),
      'Application protocol hint: an IANA service name, a kubernetes.io/ name (h2c, ws, wss) or a domain-prefixed name.',
      { pointer: true },
    ),
    port: field(3, int32(), 'Port the service exposes.', { required: true }),
    targetPort: field(
      4,
      intOrString(),
      "Port on the pods to send traffic to: a number (1-65535) or a named container port. Defaults to 'port'.",
    ),
    nodePort: field(
      5,
      int32(),
      'Port on every node exposing the service, for NodePort and LoadBalancer types. Allocated by the system when unset.',
    ),
  }),

  type(CORE + 'SessionAffinityConfig', 'Session affinity settings of a service.', {
    clientIP: field(1, core('ClientIPConfig'), 'Settings of client IP based session affinity.', { pointer: true }),
  }),

  type(CORE + 'ClientIPConfig', 'Settings of client IP based session affinity.', {
    timeoutSeconds: field(
      1,
      int32(),
      'How long (seconds) a client stays stuck to an endpoint, 1-86400. Defaults to 10800 (3 hours).',
      { pointer: true, default: 10800 },
    ),
  }),

  type(CORE + 'ServiceStatus', 'Observed status of a service.', {
    loadBalancer: field(1, core('LoadBalancerStatus'), 'Status of the load balancer, if there is one.'),
    conditions: field(2, array(meta('Condition')), 'Current conditions of the service.', {
      patchStrategy: 'merge',
      mergeKey: 'type',
      listType: 'map',
      listMapKeys: ['type'],
    }),
  }),

  type(CORE + 'LoadBalancerStatus', 'Status of a load balancer.', {
    ingress: field(1, array(core('LoadBalancerIngress')), 'Ingress points of the load balancer.', {
      listType: 'atomic',
    }),
  }),

  type(CORE + 'LoadBalancerIngress', 'One ingress point of a load balancer, where traffic for the service should go.', {
    ip: field(1, str(), 'IP of an IP-based ingress point.'),
    hostname: field(2, str(), 'Hostname of a DNS-based ingress point.'),
    ipMode: field(
      3,
      str(['Proxy', 'VIP']),
      'How the load balancer IP behaves: VIP (traffic reaches nodes addressed to that IP) or Proxy (addressed to the node or pod). Only with ip.',
      { pointer: true },
    ),
    ports: field(4, array(core('PortStatus')), 'Status of each service port on this ingress point.', {
      listType: 'atomic',
    }),
  }),

  type(CORE + 'PortStatus', 'Error state of one service port.', {
    port: field(1, int32(), 'Port number of the service port.', { required: true }),
    protocol: field(2, str(PROTOCOLS), 'Protocol of the service port: TCP, UDP or SCTP.', { required: true }),
    error: field(
      3,
      str(),
      'Problem with the port: a CamelCase built-in value or a foo.example.com/CamelCase provider value.',
      { pointer: true },
    ),
  }),

  type(
    CORE + 'Endpoints',
    'The set of endpoints (addresses and ports) that implement a service. Legacy: EndpointSlice carries the full information.',
    {
      metadata: field(1, meta('ObjectMeta'), METADATA_DOC),
      subsets: field(
        2,
        array(core('EndpointSubset')),
        'Groups of addresses sharing the same ports. An address never appears as both ready and not ready in one subset.',
        { listType: 'atomic' },
      ),
    },
    coreGVK('Endpoints'),
  ),

  type(CORE + 'EndpointSubset', 'Addresses that share a set of ports; the endpoints are every address combined with every port.', {
    addresses: field(1, array(core('EndpointAddress')), 'Ready addresses, safe for clients and load balancers.', {
      listType: 'atomic',
    }),
    notReadyAddresses: field(
      2,
      array(core('EndpointAddress')),
      'Addresses not ready yet: still starting, or recently failed a readiness or liveness check.',
      { listType: 'atomic' },
    ),
    ports: field(3, array(core('EndpointPort')), 'Ports available on these addresses.', { listType: 'atomic' }),
  }),

  type(CORE + 'EndpointAddress', 'One IP address of an endpoint.', {
    ip: field(
      1,
      str(),
      'IP of the endpoint. May not be loopback, link-local or link-local multicast.',
      { required: true },
    ),
    hostname: field(3, str(), 'Hostname of the endpoint.'),
    nodeName: field(4, str(), 'Node hosting the endpoint, to find endpoints local to a node.', { pointer: true }),
    targetRef: field(2, core('ObjectReference'), 'Object providing the endpoint, usually a pod.', { pointer: true }),
  }),

  type(CORE + 'EndpointPort', 'One port of an endpoint.', {
    name: field(1, str(), "Name of the port; matches the name of the ServicePort. Optional with a single port."),
    port: field(2, int32(), 'Port number of the endpoint.', { required: true }),
    protocol: field(3, str(PROTOCOLS), 'Protocol of the port: TCP, UDP or SCTP. Defaults to TCP.', { default: 'TCP' }),
    appProtocol: field(
      4,
      str(),
      'Application protocol hint: an IANA service name, a kubernetes.io/ name (h2c, ws, wss) or a domain-prefixed name.',
      { pointer: true },
    ),
  }),
];
