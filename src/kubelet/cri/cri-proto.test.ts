import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCriPackageDefinition } from './cri-proto.js';

/** name=number pairs of one message, as the loaded descriptor has them. */
function fields(message: string): string {
  const def = loadCriPackageDefinition() as any;
  const t = def[`runtime.v1.${message}`];
  assert.ok(t, `message ${message} is declared`);
  return t.type.field.map((f: any) => `${f.name}=${f.number}`).sort().join(' ');
}

const sorted = (s: string) => s.split(' ').sort().join(' ');

// Numbers checked against kubernetes/cri-api runtime/v1/api.proto.
const EXPECTED: Record<string, string> = {
  LinuxSandboxSecurityContext: 'namespace_options=1 run_as_user=3 readonly_rootfs=4 supplemental_groups=5 privileged=6 run_as_group=8',
  LinuxContainerSecurityContext:
    'capabilities=1 privileged=2 namespace_options=3 run_as_user=5 run_as_username=6 readonly_rootfs=7 supplemental_groups=8 no_new_privs=11 run_as_group=12',
  Capability: 'add_capabilities=1 drop_capabilities=2',
  NamespaceOption: 'network=1 pid=2 ipc=3 target_id=4',
  LinuxContainerResources:
    'cpu_period=1 cpu_quota=2 cpu_shares=3 memory_limit_in_bytes=4 oom_score_adj=5 cpuset_cpus=6 cpuset_mems=7 unified=9 memory_swap_limit_in_bytes=10',
  PodSandboxConfig: 'metadata=1 hostname=2 log_directory=3 dns_config=4 port_mappings=5 labels=6 annotations=7 linux=8',
  ContainerConfig:
    'metadata=1 image=2 command=3 args=4 working_dir=5 envs=6 mounts=7 labels=9 annotations=10 log_path=11 stdin=12 stdin_once=13 tty=14 linux=15',
  ContainerStatus:
    'id=1 metadata=2 state=3 created_at=4 started_at=5 finished_at=6 exit_code=7 image=8 image_ref=9 reason=10 message=11 labels=12 annotations=13 mounts=14 log_path=15',
  PodSandboxStatus: 'id=1 metadata=2 state=3 created_at=4 network=5 linux=6 labels=7 annotations=8 runtime_handler=9',
  PodSandbox: 'id=1 metadata=2 state=3 created_at=4 labels=5 annotations=6 runtime_handler=7',
  Container: 'id=1 pod_sandbox_id=2 metadata=3 image=4 image_ref=5 state=6 created_at=7 labels=8 annotations=9',
  ExecRequest: 'container_id=1 cmd=2 tty=3 stdin=4 stdout=5 stderr=6',
  AttachRequest: 'container_id=1 stdin=2 tty=3 stdout=4 stderr=5',
  Image: 'id=1 repo_tags=2 repo_digests=3 size=4 uid=5 username=6 spec=7 pinned=8',
  AuthConfig: 'username=1 password=2 auth=3 server_address=4 identity_token=5 registry_token=6',
  Mount: 'container_path=1 host_path=2 readonly=3 selinux_relabel=4 propagation=5',
  PortMapping: 'protocol=1 container_port=2 host_port=3 host_ip=4',
  ContainerFilter: 'id=1 state=2 pod_sandbox_id=3 label_selector=4',
  PodSandboxFilter: 'id=1 state=2 label_selector=3',
  ExecSyncResponse: 'stdout=1 stderr=2 exit_code=3',
};

for (const [message, expected] of Object.entries(EXPECTED)) {
  test(`cri.proto: ${message} field numbers`, () => {
    assert.equal(fields(message), sorted(expected));
  });
}

test('cri.proto: enum values', () => {
  const def = loadCriPackageDefinition() as any;
  const values = (name: string) =>
    def[`runtime.v1.${name}`].type.value.map((v: any) => `${v.name}=${v.number}`).join(' ');
  assert.equal(values('NamespaceMode'), 'POD=0 CONTAINER=1 NODE=2 TARGET=3');
  assert.equal(values('ContainerState'), 'CONTAINER_CREATED=0 CONTAINER_RUNNING=1 CONTAINER_EXITED=2 CONTAINER_UNKNOWN=3');
  assert.equal(values('PodSandboxState'), 'SANDBOX_READY=0 SANDBOX_NOTREADY=1');
  assert.equal(values('MountPropagation'), 'PROPAGATION_PRIVATE=0 PROPAGATION_HOST_TO_CONTAINER=1 PROPAGATION_BIDIRECTIONAL=2');
  assert.equal(values('Protocol'), 'TCP=0 UDP=1 SCTP=2');
});

test('cri.proto: int64 fields stay int64 (timestamps would round as doubles)', () => {
  const def = loadCriPackageDefinition() as any;
  const type = (m: string, f: string) => def[`runtime.v1.${m}`].type.field.find((x: any) => x.name === f).type;
  assert.equal(type('ContainerStatus', 'created_at'), 'TYPE_INT64');
  assert.equal(type('ContainerStatus', 'finished_at'), 'TYPE_INT64');
  assert.equal(type('LinuxSandboxSecurityContext', 'supplemental_groups'), 'TYPE_INT64');
  assert.equal(type('Image', 'size'), 'TYPE_UINT64');
  assert.equal(type('ExecSyncResponse', 'stdout'), 'TYPE_BYTES');
});

test('cri.proto: both services declare the RPCs the client calls', () => {
  const def = loadCriPackageDefinition() as any;
  assert.deepEqual(Object.keys(def['runtime.v1.RuntimeService']).sort(), [
    'Attach', 'ContainerStatus', 'CreateContainer', 'Exec', 'ExecSync', 'ListContainers', 'ListPodSandbox',
    'PodSandboxStatus', 'PortForward', 'RemoveContainer', 'RemovePodSandbox', 'ReopenContainerLog', 'RunPodSandbox',
    'StartContainer', 'Status', 'StopContainer', 'StopPodSandbox', 'Version',
  ]);
  assert.deepEqual(Object.keys(def['runtime.v1.ImageService']).sort(), ['ImageStatus', 'ListImages', 'PullImage', 'RemoveImage']);
  assert.equal(def['runtime.v1.RuntimeService'].Version.path, '/runtime.v1.RuntimeService/Version');
});
