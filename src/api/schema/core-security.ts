// core/v1 security settings of pods and containers. Facts follow k8s.io/api v1.32.
import { array, bool, field, int64, str, type, type TypeDef } from './dsl.js';
import { CORE, PROFILE_TYPES, core } from './core-refs.js';

const NOT_WINDOWS = 'Cannot be set when spec.os.name is windows.';

export const securityTypes: TypeDef[] = [
  type(
    CORE + 'SecurityContext',
    'Security settings of one container. Where a setting exists in both, the container value wins over the pod-level PodSecurityContext.',
    {
      capabilities: field(
        1,
        core('Capabilities'),
        `POSIX capabilities to add or drop. The runtime's default set is used when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      privileged: field(
        2,
        bool(),
        `Run the container privileged, which is essentially root on the host. Defaults to false. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      seLinuxOptions: field(
        3,
        core('SELinuxOptions'),
        `SELinux context of the container; the runtime picks a random one when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      windowsOptions: field(
        10,
        core('WindowsSecurityContextOptions'),
        'Windows-specific settings; the pod-level ones apply when unset. Cannot be set when spec.os.name is linux.',
        { pointer: true },
      ),
      runAsUser: field(
        4,
        int64(),
        `UID the container entrypoint runs as; the image's user when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      runAsGroup: field(
        8,
        int64(),
        `GID the container entrypoint runs as; the runtime default when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      runAsNonRoot: field(
        5,
        bool(),
        'Require the container to run as a non-root user: the kubelet refuses to start it if it would run as UID 0.',
        { pointer: true },
      ),
      readOnlyRootFilesystem: field(
        6,
        bool(),
        `Mount the container's root filesystem read-only. Defaults to false. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      allowPrivilegeEscalation: field(
        7,
        bool(),
        `Whether a process may gain more privileges than its parent (controls no_new_privs). Always true when privileged or with CAP_SYS_ADMIN. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      procMount: field(
        9,
        str(['Default', 'Unmasked']),
        `Kind of /proc mount: Default (runtime's masked and read-only paths) or Unmasked. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      seccompProfile: field(
        11,
        core('SeccompProfile'),
        `Seccomp profile of the container, overriding the pod-level one. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      appArmorProfile: field(
        12,
        core('AppArmorProfile'),
        `AppArmor profile of the container, overriding the pod-level one. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
    },
  ),

  type(
    CORE + 'PodSecurityContext',
    'Pod-wide security settings and defaults for container settings. Values in a container securityContext take precedence.',
    {
      seLinuxOptions: field(
        1,
        core('SELinuxOptions'),
        `SELinux context applied to all containers; the runtime picks a random one when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      windowsOptions: field(
        8,
        core('WindowsSecurityContextOptions'),
        'Windows-specific settings applied to all containers. Cannot be set when spec.os.name is linux.',
        { pointer: true },
      ),
      runAsUser: field(
        2,
        int64(),
        `UID the container entrypoints run as; the image's user when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      runAsGroup: field(
        6,
        int64(),
        `GID the container entrypoints run as; the runtime default when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      runAsNonRoot: field(
        3,
        bool(),
        'Require containers to run as a non-root user: the kubelet refuses to start one that would run as UID 0.',
        { pointer: true },
      ),
      supplementalGroups: field(
        4,
        array(int64()),
        `Extra groups for the first process of every container, besides its primary GID and fsGroup. ${NOT_WINDOWS}`,
        { listType: 'atomic' },
      ),
      supplementalGroupsPolicy: field(
        12,
        str(['Merge', 'Strict']),
        `How the supplemental groups of the first process are computed: Merge (also keep groups from the image) or Strict (only the listed ones). Merge when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      fsGroup: field(
        5,
        int64(),
        `Group that owns supported volumes: the kubelet sets it as owner with the setgid bit and group read/write permissions. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      sysctls: field(
        7,
        array(core('Sysctl')),
        `Namespaced kernel parameters set for the pod. Pods with sysctls the runtime does not support may fail to start. ${NOT_WINDOWS}`,
        { listType: 'atomic' },
      ),
      fsGroupChangePolicy: field(
        9,
        str(['Always', 'OnRootMismatch']),
        `When volume ownership is changed to fsGroup: Always, or OnRootMismatch (only when the volume root does not match). Always when unset. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      seccompProfile: field(10, core('SeccompProfile'), `Seccomp profile for the containers of the pod. ${NOT_WINDOWS}`, {
        pointer: true,
      }),
      appArmorProfile: field(
        11,
        core('AppArmorProfile'),
        `AppArmor profile for the containers of the pod. ${NOT_WINDOWS}`,
        { pointer: true },
      ),
      seLinuxChangePolicy: field(
        13,
        str(['MountOption', 'Recursive']),
        `How the SELinux label reaches the pod volumes: Recursive (relabel every file) or MountOption (mount with -o context where supported). ${NOT_WINDOWS}`,
        { pointer: true },
      ),
    },
  ),

  type(CORE + 'Capabilities', 'POSIX capabilities added to or removed from a container.', {
    add: field(1, array(str()), 'Capabilities to add.', { listType: 'atomic' }),
    drop: field(2, array(str()), 'Capabilities to remove.', { listType: 'atomic' }),
  }),

  type(CORE + 'SELinuxOptions', 'SELinux labels applied to a container.', {
    user: field(1, str(), 'SELinux user label.'),
    role: field(2, str(), 'SELinux role label.'),
    type: field(3, str(), 'SELinux type label.'),
    level: field(4, str(), 'SELinux level label.'),
  }),

  type(CORE + 'SeccompProfile', 'Seccomp profile of a pod or container. Only one source may be set.', {
    type: field(
      1,
      str(PROFILE_TYPES),
      'Kind of profile: Localhost (a file on the node), RuntimeDefault (the runtime default) or Unconfined (none).',
      { required: true },
    ),
    localhostProfile: field(
      2,
      str(),
      "Path of the profile file, relative to the kubelet's seccomp profile directory. Required for Localhost, forbidden otherwise.",
      { pointer: true },
    ),
  }),

  type(CORE + 'AppArmorProfile', 'AppArmor profile of a pod or container.', {
    type: field(
      1,
      str(PROFILE_TYPES),
      'Kind of profile: Localhost (preloaded on the node), RuntimeDefault (the runtime default) or Unconfined (no enforcement).',
      { required: true },
    ),
    localhostProfile: field(
      2,
      str(),
      'Name of a profile loaded on the node. Set exactly when type is Localhost.',
      { pointer: true },
    ),
  }),

  type(CORE + 'WindowsSecurityContextOptions', 'Windows-specific security options and credentials.', {
    gmsaCredentialSpecName: field(1, str(), 'Name of the GMSA credential spec to use.', { pointer: true }),
    gmsaCredentialSpec: field(
      2,
      str(),
      'Contents of the GMSA credential spec, usually filled in by the GMSA admission webhook.',
      { pointer: true },
    ),
    runAsUserName: field(3, str(), "Windows user name the entrypoint runs as; the image's user when unset.", {
      pointer: true,
    }),
    hostProcess: field(
      4,
      bool(),
      "Run as a Windows 'Host Process' container. All containers of the pod must agree, and hostNetwork must then be true.",
      { pointer: true },
    ),
  }),

  type(CORE + 'Sysctl', 'A kernel parameter to set.', {
    name: field(1, str(), 'Name of the parameter.', { required: true }),
    value: field(2, str(), 'Value to set.', { required: true }),
  }),
];
